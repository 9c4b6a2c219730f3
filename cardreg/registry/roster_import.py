"""Importing the insured roster (在保資料) from an operator's CSV file.

Header: ``unit_code,national_id,insured_from,insured_until``, e.g.
``133397421,A123456789,2016-07-01,`` (UTF-8, with or without BOM, or CP950/Big5):
- unit_code: the 投保單位代號, 9 digits;
- national_id: a valid 身分證號 or 居留證號, upper case;
- insured_from / insured_until: ISO dates (YYYY-MM-DD); an empty insured_until means the person
  is still insured; insured_until may not be before insured_from.

The file replaces, for every unit that appears in it, all of that unit's rows; other units keep
theirs. A national file has millions of rows: it is streamed and written in chunks with the
DB-API (executemany, COPY on PostgreSQL), not model instances, all in one transaction, so a
bad row anywhere changes nothing. A unit's old rows are deleted in the chunk where the unit
first appears, before its new rows are written; the units seen so far are the only thing kept
in memory for the whole file. Repeated rows are harmless (the roster check asks "is there a
period covering the day") and are not looked for.

On SQLite the one transaction holds the database's write lock for the whole run (~25 s a
million rows on the 2-core machine), longer than the portal's 20 s lock timeout: import large
files when the portal is quiet. PostgreSQL's readers and writers go on meanwhile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from cardreg.audit.actions import record_event
from cardreg.bulk import BulkWriter, chunked
from cardreg.lib.national_id import check_national_id
from cardreg.registry.csvfile import ImportFileError, Record, detect_encoding, read_records
from cardreg.registry.models import RosterEntry

COLUMNS = ("unit_code", "national_id", "insured_from", "insured_until")
CHUNK = 10_000
UNIT_CODE_LENGTH = 9

# (unit_code, national_id, insured_from, insured_until) as the table stores them; the dates are
# the file's own ISO text, already checked to be real dates written the canonical way.
RosterRow = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class RosterImportResult:
    imported: int  # rows written
    units: int  # units whose rows were replaced
    replaced: int  # old rows of those units removed
    encoding: str


def _iso_date(line: int, column: str, value: str) -> dt.date:
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        date = None
    # fromisoformat also takes 20160701 and week dates: only YYYY-MM-DD is stored as written.
    if date is None or date.isoformat() != value:
        raise ImportFileError(line, column, "must be a date written YYYY-MM-DD, e.g. 2016-07-01")
    return date


def parse_record(record: Record) -> RosterRow:
    line, values = record.line, record.values
    unit_code = values["unit_code"]
    if not (len(unit_code) == UNIT_CODE_LENGTH and unit_code.isascii() and unit_code.isdigit()):
        raise ImportFileError(line, "unit_code", f"must be {UNIT_CODE_LENGTH} digits")
    national_id = values["national_id"]
    problem = check_national_id(national_id)
    if problem is not None:
        raise ImportFileError(line, "national_id", f"invalid ({problem})")
    insured_from = _iso_date(line, "insured_from", values["insured_from"])
    until = values["insured_until"]
    if until and _iso_date(line, "insured_until", until) < insured_from:
        raise ImportFileError(line, "insured_until", "is before insured_from")
    return (unit_code, national_id, values["insured_from"], until or None)


class _RosterWriter:
    """Writes chunks of rows into the roster table inside the caller's transaction."""

    def __init__(self) -> None:
        self.writer = BulkWriter(RosterEntry, COLUMNS)
        self.units_seen: set[str] = set()
        self.replaced = 0

    def write(self, chunk: list[RosterRow]) -> None:
        new_units = {row[0] for row in chunk} - self.units_seen
        if new_units:
            # Only rows of units not seen before: none of them comes from this file.
            self.replaced += RosterEntry.objects.filter(unit_code__in=new_units).delete()[0]
            self.units_seen |= new_units
        self.writer.write(chunk)


def import_roster(path: Path) -> RosterImportResult:
    """Check and write the whole file in one transaction; ImportFileError on the first bad row."""
    encoding = detect_encoding(path)
    rows = (parse_record(record) for record in read_records(path, encoding, COLUMNS))
    writer = _RosterWriter()
    imported = 0
    with transaction.atomic():
        for chunk in chunked(rows, CHUNK):
            writer.write(chunk)
            imported += len(chunk)
        if not imported:
            raise ImportFileError(2, "row", "the file has no rows")
        result = RosterImportResult(
            imported=imported,
            units=len(writer.units_seen),
            replaced=writer.replaced,
            encoding=encoding,
        )
        record_event(
            "registry.roster_imported",
            actor="operator",
            imported=result.imported,
            units=result.units,
            replaced=result.replaced,
        )
    return result
