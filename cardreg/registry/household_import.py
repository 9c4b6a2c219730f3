"""Importing the local copy of the household register from an operator's CSV file.

Header: ``national_id,household_no,county,township,village,neighbourhood``, e.g.
``A123456789,F1234567,臺北市,中正區,黎明里,3``; UTF-8 (with or without BOM) or CP950/Big5.
- national_id: a valid 身分證號 or 居留證號, upper case;
- household_no: the 戶號 of the household book, 4–12 letters and digits (full-width accepted);
- county / township / village: official names, checked against the divisions list when one is
  loaded (``import_divisions``);
- neighbourhood: the 鄰, 1–99.

A person is updated if already there (matched by national_id), added otherwise; with
``replace``, people missing from the file are removed. The file may hold millions of rows: it is
streamed and written in chunks, all in one transaction, so a bad row anywhere changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cardreg.bulk import chunked
from cardreg.lib.national_id import check_national_id
from cardreg.lib.text import to_half_width
from cardreg.registry.csvfile import ImportFileError, Record, detect_encoding, read_records
from cardreg.registry.divisions import (
    NAME_MAX_LENGTH,
    NEIGHBOURHOOD_MAX,
    NEIGHBOURHOOD_MIN,
    Places,
    known_places,
)
from cardreg.registry.household import is_valid_household_no, normalise_household_no
from cardreg.registry.models import HouseholdMember

COLUMNS = ("national_id", "household_no", "county", "township", "village", "neighbourhood")
CHUNK = 5000


@dataclass(frozen=True)
class HouseholdRow:
    line: int
    national_id: str
    household_no: str
    county: str
    township: str
    village: str
    neighbourhood: int


@dataclass(frozen=True)
class ImportResult:
    imported: int
    removed: int
    encoding: str


def _neighbourhood(line: int, value: str) -> int:
    value = to_half_width(value)
    if not (value.isascii() and value.isdigit()) or not (
        NEIGHBOURHOOD_MIN <= int(value) <= NEIGHBOURHOOD_MAX
    ):
        raise ImportFileError(
            line,
            "neighbourhood",
            f"must be a number from {NEIGHBOURHOOD_MIN} to {NEIGHBOURHOOD_MAX}",
        )
    return int(value)


def parse_record(record: Record, places: Places | None) -> HouseholdRow:
    line, values = record.line, record.values
    problem = check_national_id(values["national_id"])
    if problem is not None:
        raise ImportFileError(line, "national_id", f"invalid ({problem})")
    household_no = normalise_household_no(values["household_no"])
    if not is_valid_household_no(household_no):
        raise ImportFileError(line, "household_no", "must be 4 to 12 letters and digits")
    for column in ("county", "township", "village"):
        if not 1 <= len(values[column]) <= NAME_MAX_LENGTH:
            raise ImportFileError(line, column, f"must be 1 to {NAME_MAX_LENGTH} characters")
    if places is not None:
        unknown = places.problem(values["county"], values["township"], values["village"])
        if unknown is not None:
            raise ImportFileError(line, *unknown)
    return HouseholdRow(
        line=line,
        national_id=values["national_id"],
        household_no=household_no,
        county=values["county"],
        township=values["township"],
        village=values["village"],
        neighbourhood=_neighbourhood(line, values["neighbourhood"]),
    )


def _check_listed_once(chunk: list[HouseholdRow], stamp: dt.datetime) -> None:
    lines: dict[str, int] = {}
    for row in chunk:
        earlier = lines.setdefault(row.national_id, row.line)
        if earlier != row.line:
            raise ImportFileError(row.line, "national_id", f"is also on line {earlier}")
    # Earlier chunks are in the table already, with this run's stamp: no set of every ID seen.
    written = HouseholdMember.objects.filter(national_id__in=lines, imported_at=stamp)
    again = written.values_list("national_id", flat=True).first()
    if again is not None:
        raise ImportFileError(lines[again], "national_id", "is listed twice in the file")


def _save_chunk(chunk: list[HouseholdRow], stamp: dt.datetime) -> None:
    _check_listed_once(chunk, stamp)
    HouseholdMember.objects.bulk_create(
        [
            HouseholdMember(
                national_id=row.national_id,
                household_no=row.household_no,
                county=row.county,
                township=row.township,
                village=row.village,
                neighbourhood=row.neighbourhood,
                imported_at=stamp,
            )
            for row in chunk
        ],
        update_conflicts=True,
        unique_fields=["national_id"],
        update_fields=[
            "household_no",
            "county",
            "township",
            "village",
            "neighbourhood",
            "imported_at",
        ],
    )


def import_households(path: Path, *, replace: bool = False) -> ImportResult:
    """Check and write the whole file in one transaction; ImportFileError on the first bad row."""
    encoding = detect_encoding(path)
    places = known_places()
    stamp = timezone.now()
    rows = (parse_record(record, places) for record in read_records(path, encoding, COLUMNS))
    imported = removed = 0
    with transaction.atomic():
        for chunk in chunked(rows, CHUNK):
            _save_chunk(chunk, stamp)
            imported += len(chunk)
        if not imported:
            raise ImportFileError(2, "row", "the file has no people")
        if replace:
            removed, _ = HouseholdMember.objects.exclude(imported_at=stamp).delete()
    return ImportResult(imported=imported, removed=removed, encoding=encoding)
