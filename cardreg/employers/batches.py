"""Batch uploads from the clerk's side: accept a file, preview it, submit it, and who sees which.

The pages and the HR API both go through here. A file is checked as a whole when it arrives
(name, content, encoding, shape, limits) and kept on a draft Batch; the upload page shows its
preview (every row checked, against the database too) and the clerk submits it; the API submits
at once. Processing is cardreg.employers.processing's, in the background.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation

from cardreg.audit.actions import record_event
from cardreg.employers.access import UnitAccess
from cardreg.employers.batchfile import (
    FileFormat,
    FileNameProblem,
    FileProblem,
    RowResult,
    SourceRow,
    Upload,
    UploadRefused,
    check_file_name,
    file_format,
    read_upload,
    scan_upload,
    stream_rows,
    validate_rows,
)
from cardreg.employers.models import Batch, BatchStatus, InsuranceUnit
from cardreg.employers.wording import (
    Check,
    both,
    check_message,
    file_message,
    file_name_message,
    row_message,
)
from cardreg.lib.masking import mask_national_id

PREVIEW_ROWS = 200  # rows with a problem listed on the preview page; the rest are counted


def taipei_now() -> dt.datetime:
    """Now in Asia/Taipei (TIME_ZONE): the day of the file name, the roster check and the log."""
    return timezone.localtime()


class UploadProblem(Exception):
    """The file is refused as a whole: why and what to do, in the active language
    (``message``), and in 繁體中文 and English (``message_zh``, ``message_en``) for the API."""

    def __init__(self, cause: FileNameProblem | FileProblem, word: Callable[[], str]) -> None:
        self.cause = cause
        self.message_zh, self.message_en = both(word)
        language = translation.get_language() or ""
        self.message = self.message_en if language.startswith("en") else self.message_zh
        super().__init__(self.message)


@dataclass(frozen=True)
class Uploader:
    national_id: str
    name: str  # 上傳人員
    contact_name: str  # 聯絡人
    contact_email: str  # 聯絡人E-Mail
    language: str


def accept_upload(
    unit: InsuranceUnit, uploader: Uploader, *, file_name: str, data: bytes, via_api: bool = False
) -> Batch:
    """Check the file as a whole and keep it on a draft batch; UploadProblem if refused."""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    today = taipei_now().date()
    name_problem = check_file_name(base, unit.code, today)
    if name_problem is not None:
        word = partial(file_name_message, name_problem, unit.code, today, base)
        raise UploadProblem(name_problem, word)
    try:
        upload = scan_upload(
            data,
            base,
            max_bytes=settings.CARDREG_BATCH_MAX_BYTES,
            max_rows=settings.CARDREG_BATCH_MAX_ROWS,
        )
    except UploadRefused as refused:
        raise UploadProblem(refused.problem, partial(file_message, refused)) from None
    return Batch.objects.create(
        unit=unit,
        uploaded_by=uploader.national_id,
        uploader_name=uploader.name,
        contact_name=uploader.contact_name,
        contact_email=uploader.contact_email,
        language=uploader.language,
        via_api=via_api,
        file_name=base,
        content=data,
        encoding=upload.encoding,
        total=upload.total,
    )


@dataclass(frozen=True)
class PreviewRow:
    number: int  # 第N筆資料
    national_id_masked: str
    message: str


@dataclass(frozen=True)
class Preview:
    total: int  # 上傳筆數
    failing: int  # rows that would fail
    rows: list[PreviewRow]  # the first PREVIEW_ROWS failing rows
    header_looks_like_data: bool  # the first row, which is not uploaded, is an ID


def preview(batch: Batch) -> Preview:
    """Every row checked as processing will check it (the file, then the database) without
    writing anything. The database may change before processing; the result log is the truth."""
    from cardreg.employers.processing import check_rows  # the same checks the worker makes

    upload = read_upload(
        bytes(batch.content),
        batch.file_name,
        max_bytes=settings.CARDREG_BATCH_MAX_BYTES,
        max_rows=settings.CARDREG_BATCH_MAX_ROWS,
    )
    results: list[RowResult] = list(validate_rows(upload))
    checks = check_rows(batch.unit.code, results, taipei_now().date())
    failing = 0
    rows: list[PreviewRow] = []
    for result in results:
        message = ""
        if result.problems:
            message = row_message(result.problems)
        elif (check := checks.get(result.national_id)) is not None:
            message = check_message(check)
        if not message:
            continue
        failing += 1
        if len(rows) < PREVIEW_ROWS:
            rows.append(PreviewRow(result.number, mask_national_id(result.national_id), message))
    return Preview(upload.total, failing, rows, upload.header_looks_like_data)


def stored_rows(batch: Batch, data: bytes) -> Iterator[SourceRow]:
    """The data rows of a batch's stored ``content``, one at a time. The file was checked when
    it was accepted, so it is read as it is, whatever the limits are today."""
    fmt = file_format(batch.file_name) or FileFormat.CSV
    return stream_rows(data, Upload(fmt, batch.encoding, (), [], False, batch.total))


def submit(batch: Batch) -> bool:
    """Queue a draft for processing (處理狀態 「已上傳,等待入檔」); False if it was no draft
    (submitted twice: nothing doubles)."""
    from cardreg.employers.tasks import wake_processing

    with transaction.atomic():
        now = timezone.now()
        submitted = Batch.objects.filter(pk=batch.pk, status=BatchStatus.DRAFT).update(
            status=BatchStatus.WAITING, submitted_at=now
        )
        if submitted:
            batch.status, batch.submitted_at = BatchStatus.WAITING, now
            record_event(
                "employers.batch_submitted",
                actor=mask_national_id(batch.uploaded_by),
                subject=f"batch:{batch.pk}",
                unit=batch.unit.code,
                total=batch.total,
                via_api=batch.via_api,
            )
            wake_processing()
    return bool(submitted)


def discard_draft(batch: Batch) -> None:
    """取消 on the preview: the draft goes, file and all (a submitted batch never does)."""
    with transaction.atomic():
        deleted, _ = Batch.objects.filter(pk=batch.pk, status=BatchStatus.DRAFT).delete()
        if deleted:
            record_event(
                "employers.batch_discarded",
                actor=mask_national_id(batch.uploaded_by),
                subject=f"batch:{batch.pk}",
                unit=batch.unit.code,
            )


def history_start() -> dt.datetime:
    return timezone.now() - timedelta(days=settings.CARDREG_BATCH_HISTORY_DAYS)


def visible_batches(access: UnitAccess, national_id: str) -> QuerySet[Batch]:
    """The submitted uploads of the last 3 months the person may see: the administrator all of
    the unit's, a clerk only his own. Newest first; the file and the log are deferred."""
    batches = Batch.objects.filter(unit=access.unit, submitted_at__gte=history_start()).exclude(
        status=BatchStatus.DRAFT
    )
    if not access.rights.is_administrator:
        batches = batches.filter(uploaded_by=national_id)
    return batches.defer("content", "log").order_by("-submitted_at", "-pk")


def get_visible_batch(access: UnitAccess, national_id: str, pk: int) -> Batch:
    """One upload the person may see (Http404 otherwise: another's upload looks like none)."""
    batch = visible_batches(access, national_id).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def get_own_draft(access: UnitAccess, national_id: str, pk: int) -> Batch:
    """The person's own draft (for its preview and submission); Http404 otherwise."""
    batch = Batch.objects.filter(
        pk=pk, unit=access.unit, uploaded_by=national_id, status=BatchStatus.DRAFT
    ).first()
    if batch is None:
        raise Http404
    return batch


__all__ = [
    "Check",
    "Preview",
    "PreviewRow",
    "UploadProblem",
    "Uploader",
    "accept_upload",
    "discard_draft",
    "get_own_draft",
    "get_visible_batch",
    "preview",
    "submit",
    "taipei_now",
    "visible_batches",
]
