"""健保卡註冊申請上傳紀錄查詢 (SPEC §2.4): the filter form, the query and the page of rows.

The 處理狀態 filter has the seed's three choices; the two states the seed does not name go
where a clerk would look for them: 「處理中」 is not filed yet (with 「已上傳,等待入檔」), and
「失敗」 has finished (with 「入檔完畢」; its row says 失敗 and its log says why).
Only the rows batches.visible_batches() gives are ever read: the last 3 months, and for a clerk
his own uploads.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cardreg.employers.access import UnitAccess
from cardreg.employers.batches import visible_batches
from cardreg.employers.messages import DATE_FROM_AFTER_TO, STATUS_LABELS
from cardreg.employers.models import Batch, BatchStatus
from cardreg.lib.roc_date import RocDateError, format_roc_slash, parse_roc_date
from cardreg.problems import ROC_DATE_PROBLEMS

PAGE_SIZES = (10, 20)
DATE_MAX_LENGTH = 20


class StatusFilter(enum.StrEnum):
    WAITING = "waiting"  # ○已上傳,等待入檔
    DONE = "done"  # ○入檔完畢
    ALL = "all"  # ○全部


STATUSES: dict[StatusFilter, tuple[str, ...]] = {
    StatusFilter.WAITING: (BatchStatus.WAITING, BatchStatus.PROCESSING),
    StatusFilter.DONE: (BatchStatus.DONE, BatchStatus.FAILED),
}


class HistoryForm(forms.Form):
    # The labels name a field in the error summary (portal/templatetags/form_errors.py).
    date_from = forms.CharField(label=_("起日"), required=False, max_length=DATE_MAX_LENGTH)
    date_to = forms.CharField(label=_("迄日"), required=False, max_length=DATE_MAX_LENGTH)
    status = forms.ChoiceField(
        label=_("處理狀態"),
        choices=[
            (StatusFilter.WAITING.value, _("已上傳，等待入檔")),
            (StatusFilter.DONE.value, _("入檔完畢")),
            (StatusFilter.ALL.value, _("全部")),
        ],
        required=False,
    )
    per_page = forms.TypedChoiceField(
        label=_("每頁筆數"),
        choices=[(size, str(size)) for size in PAGE_SIZES],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def clean_date_from(self) -> dt.date | None:
        return _roc_date(self.cleaned_data["date_from"])

    def clean_date_to(self) -> dt.date | None:
        return _roc_date(self.cleaned_data["date_to"])

    def clean_status(self) -> StatusFilter:
        return StatusFilter(self.cleaned_data["status"] or StatusFilter.ALL)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", DATE_FROM_AFTER_TO)
        return data


def _roc_date(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return parse_roc_date(text)
    except RocDateError as error:
        raise forms.ValidationError(str(ROC_DATE_PROBLEMS[error.problem])) from None


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of `day` in Asia/Taipei: 上傳日期 is the Taipei day of 上傳時間."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_batches(batches: QuerySet[Batch], data: dict[str, Any]) -> QuerySet[Batch]:
    """`batches` limited by the form's cleaned filters."""
    if data.get("date_from"):
        batches = batches.filter(submitted_at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        next_day = data["date_to"] + dt.timedelta(days=1)
        batches = batches.filter(submitted_at__lt=_day_start(next_day))
    statuses = STATUSES.get(data.get("status", StatusFilter.ALL))
    if statuses is not None:
        batches = batches.filter(status__in=statuses)
    return batches


def roc_datetime(moment: dt.datetime | None) -> str:
    """上傳時間: `105/07/13 10:45:33` in Asia/Taipei."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{format_roc_slash(local.date())} {local:%H:%M:%S}"


@dataclass(frozen=True)
class HistoryRow:
    batch: Batch
    uploaded_at: str  # 上傳時間
    status_label: str  # 處理狀態

    @property
    def has_log(self) -> bool:
        return bool(self.batch.log_name)


@dataclass(frozen=True)
class History:
    form: HistoryForm
    page: Page[Batch] | None  # None: the filters have errors
    rows: list[HistoryRow]
    filters: str  # the filters as URL parameters, for the paging links

    @property
    def valid(self) -> bool:
        return self.page is not None

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page is not None else 0


def query_history(access: UnitAccess, national_id: str, params: QueryDict) -> History:
    """The page of uploads the GET parameters ask for, out of those the person may see."""
    form = HistoryForm(params)
    filters = params.copy()
    filters.pop("page", None)
    if not form.is_valid():
        return History(form, None, [], filters.urlencode())
    data = form.cleaned_data
    batches = filter_batches(visible_batches(access, national_id), data)
    page = Paginator(batches, data["per_page"] or PAGE_SIZES[0]).get_page(params.get("page"))
    rows = [
        HistoryRow(batch, roc_datetime(batch.submitted_at), str(STATUS_LABELS[batch.status]))
        for batch in page.object_list
    ]
    return History(form, page, rows, filters.urlencode())
