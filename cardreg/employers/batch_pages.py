"""What the upload, status and download pages show of a batch, built outside the views."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation

from cardreg.employers.batches import stored_rows, taipei_now
from cardreg.employers.batchfile import (
    COLUMN_TITLES,
    FileFormat,
    RowResult,
    expected_name,
    write_result_csv,
)
from cardreg.employers.messages import NOT_PROCESSED, STATUS_LABELS
from cardreg.employers.models import Batch, BatchResult, BatchStatus, InsuranceUnit
from cardreg.employers.processing import check_rows
from cardreg.registry.roster import listed_ids

FINISHED = (BatchStatus.DONE, BatchStatus.FAILED)
MIB = 1024 * 1024

ExampleRow = tuple[str, str, str, str]  # 身分證號, 電子郵件, 行動電話, 聯絡電話

# The example's employees outside the demo: made up, as a real unit's roster holds real people.
MADE_UP_EMPLOYEES: tuple[ExampleRow, ...] = (
    ("A123456789", "wang@example.com", "0912345678", "02-12345678#1234"),
    ("B120000008", "lin@example.com", "0987654321", ""),
)
# In the demo: enough to show a batch, and once they are registered the next download has others.
EXAMPLE_PEOPLE = 3


def example_rows(unit: InsuranceUnit) -> list[ExampleRow]:
    """The example's employees. In the demo, people the unit can register today (insured by it,
    with a card, not registered yet), so the example uploads unchanged; else, or when no one is
    left, the made-up ones."""
    if settings.CARDREG_DEMO:
        registrable = _registrable_demo_rows(unit.code, taipei_now().date())
        if registrable:
            return registrable
    return list(MADE_UP_EMPLOYEES)


def _registrable_demo_rows(unit_code: str, today: date) -> list[ExampleRow]:
    # Numbered by the place on the roster, so a person keeps his e-mail and mobile from one
    # download to the next.
    rows = [
        RowResult(n, national_id, f"demo{n:02d}@example.tw", f"09{12_000_000 + n:08d}", "", ())
        for n, national_id in enumerate(listed_ids(unit_code), start=1)
    ]
    refused = check_rows(unit_code, rows, today)  # the preview's and the worker's own checks
    registrable = [row for row in rows if row.national_id not in refused][:EXAMPLE_PEOPLE]
    return [(row.national_id, row.email, row.mobile, row.landline) for row in registrable]


def example_csv(unit: InsuranceUnit) -> bytes:
    """The header (the first row is not uploaded) and example_rows(). UTF-8 with a BOM, so that
    Excel opens it as UTF-8; CRLF as Excel writes."""
    lines = [",".join(row) for row in (tuple(COLUMN_TITLES.values()), *example_rows(unit))]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


@dataclass(frozen=True)
class UploadRules:
    """The numbers the upload page explains the file with."""

    expected_name: str  # today's file name, e.g. 1333974211150713.CSV
    expected_xlsx: str
    max_mib: int
    max_rows: int


def upload_rules(unit: InsuranceUnit) -> UploadRules:
    today = taipei_now().date()
    return UploadRules(
        expected_name=expected_name(unit.code, today),
        expected_xlsx=expected_name(unit.code, today, FileFormat.XLSX),
        max_mib=settings.CARDREG_BATCH_MAX_BYTES // MIB,
        max_rows=settings.CARDREG_BATCH_MAX_ROWS,
    )


def is_finished(batch: Batch) -> bool:
    return batch.status in FINISHED


def progress(batch: Batch) -> dict[str, Any]:
    """The status page's numbers, also as JSON for its polling script."""
    return {
        "status": batch.status,
        "status_label": str(STATUS_LABELS[batch.status]),
        "processed": batch.processed,
        "total": batch.total,
        "succeeded": batch.succeeded,
        "failed": batch.failed,
        "done": is_finished(batch),
    }


def failure_reason(batch: Batch) -> str:
    english = (translation.get_language() or "").startswith("en")
    return batch.failure_reason_en if english else batch.failure_reason


def result_csv(batch: Batch) -> bytes:
    """The clerk's rows with 結果 and 原因 (in the page's language), to fix and upload again.

    Rows a failed batch never reached are 失敗 with NOT_PROCESSED."""
    data = bytes(Batch.objects.values_list("content", flat=True).get(pk=batch.pk))
    english = (translation.get_language() or "").startswith("en")
    reason_field = "reason_en" if english else "reason"
    found = BatchResult.objects.filter(batch=batch).values_list("row", "ok", reason_field)
    missing = [str(NOT_PROCESSED)]
    results: defaultdict[int, list[str]] = defaultdict(lambda: missing)
    results.update((row, [] if ok else [reason]) for row, ok, reason in found)
    return write_result_csv(stored_rows(batch, data), results, str)


def result_csv_name(batch: Batch) -> str:
    stem = batch.file_name.rpartition(".")[0] or batch.file_name
    return f"{stem}.result.csv"
