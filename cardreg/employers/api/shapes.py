"""What the API says about a batch and its rows, and how a long list is paged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils import timezone

from cardreg.employers.api.errors import BAD_PARAMETER
from cardreg.employers.models import Batch

# The default and the largest ``limit`` of a page.
BATCHES_PAGE = (100, 1000)
RESULTS_PAGE = (1000, 10_000)  # a batch may have 200,000 rows: 20 pages at the most
MAX_OFFSET = 999_999_999


def iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in Asia/Taipei with its offset, e.g. ``2016-07-13T11:56:45+08:00``."""
    return None if moment is None else timezone.localtime(moment).isoformat(timespec="seconds")


def batch_json(batch: Batch) -> dict[str, Any]:
    """上傳檔名, 處理狀態, 上傳筆數 (total), 成功筆數, 失敗筆數 and the times of one upload."""
    failure = None
    if batch.failure_reason:
        failure = {"message": batch.failure_reason, "message_en": batch.failure_reason_en}
    return {
        "id": batch.pk,
        "file_name": batch.file_name,
        "status": batch.status,  # waiting / processing / done / failed: drafts are never visible
        "total": batch.total,
        "processed": batch.processed,
        "succeeded": batch.succeeded,
        "failed": batch.failed,
        "submitted_at": iso(batch.submitted_at),
        "finished_at": iso(batch.finished_at),
        "failure_reason": failure,
    }


def result_json(
    row: int, national_id_masked: str, ok: bool, reason: str, reason_en: str
) -> dict[str, Any]:
    return {
        "row": row,
        "national_id_masked": national_id_masked,
        "result": "success" if ok else "failed",
        "reason": "" if ok else reason,
        "reason_en": "" if ok else reason_en,
    }


def _int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(high))):
        raise BAD_PARAMETER.error(400, "invalid_parameter", name=name, low=low, high=high)
    number = int(value)
    if not low <= number <= high:
        raise BAD_PARAMETER.error(400, "invalid_parameter", name=name, low=low, high=high)
    return number


@dataclass(frozen=True)
class Page:
    offset: int
    limit: int

    @classmethod
    def of(cls, request: HttpRequest, sizes: tuple[int, int]) -> Page:
        """``?offset=&limit=`` of the request; ApiError (400) if either is no number in range."""
        default, largest = sizes
        offset = _int_param(request, "offset", 0, 0, MAX_OFFSET)
        return cls(offset, _int_param(request, "limit", default, 1, largest))

    @property
    def end(self) -> int:
        return self.offset + self.limit

    def envelope(
        self, request: HttpRequest, count: int, key: str, items: list[Any]
    ) -> dict[str, Any]:
        """``{"count", "next", key: items}``: ``next`` is the URL of the following page, or null."""
        following = None
        if self.end < count:
            query = urlencode({"offset": self.end, "limit": self.limit})
            following = request.build_absolute_uri(f"{request.path}?{query}")
        return {"count": count, "next": following, key: items}
