"""Building batch uploads for tests and benchmarks: people, roster rows, files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction

from cardreg.bulk import BulkWriter
from cardreg.cards.models import Person
from cardreg.employers.batches import Uploader, accept_upload, submit, taipei_now
from cardreg.employers.models import Batch, InsuranceUnit
from cardreg.lib.national_id import make_national_id
from cardreg.lib.roc_date import format_roc_compact
from cardreg.registry.models import RosterEntry

HEADER = ("身分證號", "電子郵件", "行動電話", "聯絡電話")


def national_ids(count: int, *, start: int = 0, letter: str = "F") -> list[str]:
    """``count`` distinct valid IDs."""
    return [make_national_id(letter, "2", f"{n:07d}") for n in range(start, start + count)]


def add_people(ids: Iterable[str]) -> None:
    """Card-registry people for ``ids`` (named 測試員 + the last four digits)."""
    rows = [(i, f"測試員{i[-4:]}", dt.date(1980, 1, 1), "F") for i in ids]
    with transaction.atomic():
        BulkWriter(Person, ("national_id", "name", "birth_date", "sex")).write(rows)


def add_roster(unit_code: str, ids: Iterable[str], *, until: dt.date | None = None) -> None:
    """``ids`` insured by the unit since 2020 (until ``until``, or still)."""
    rows = [(unit_code, i, dt.date(2020, 1, 1), until) for i in ids]
    with transaction.atomic():
        BulkWriter(
            RosterEntry, ("unit_code", "national_id", "insured_from", "insured_until")
        ).write(rows)


def batch_rows(ids: Sequence[str]) -> list[tuple[str, str, str, str]]:
    return [
        (i, f"{i.lower()}@example.tw", f"09{n % 100_000_000:08d}", "") for n, i in enumerate(ids)
    ]


def csv_bytes(rows: Iterable[Sequence[str]], encoding: str = "utf-8-sig") -> bytes:
    lines = [",".join(HEADER), *(",".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def file_name(unit: InsuranceUnit) -> str:
    return f"{unit.code}{format_roc_compact(taipei_now().date())}.CSV"


def submitted_batch(
    unit: InsuranceUnit, data: bytes, *, by: str = "A123456789", email: str = "clerk@example.tw"
) -> Batch:
    uploader = Uploader(by, "王承辦", "王承辦", email, "zh-hant")
    batch = accept_upload(unit, uploader, file_name=file_name(unit), data=data)
    submit(batch)
    return batch
