"""Importing the official list of villages (內政部 村里代碼) from an operator's CSV file.

Header: the six columns ``縣市代碼,縣市名稱,鄉鎮市區代碼,鄉鎮市區名稱,村里代碼,村里名稱``, in any
order; other columns (the official file may carry more) are ignored. One row per village, e.g.
``63000,臺北市,63000050,中正區,63000050017,黎明里``. Codes are 1–16 ASCII letters, digits or
``-``; names 1–16 characters. UTF-8 (with or without BOM) or CP950/Big5.

Every row is checked before anything is written, including that a code always goes with the
same name; then the whole list replaces the table in one transaction. A bad row changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from cardreg.registry.csvfile import ImportFileError, Record, detect_encoding, read_records
from cardreg.registry.divisions import NAME_MAX_LENGTH
from cardreg.registry.models import Village

COUNTY_CODE, COUNTY = "縣市代碼", "縣市名稱"
TOWNSHIP_CODE, TOWNSHIP = "鄉鎮市區代碼", "鄉鎮市區名稱"
VILLAGE_CODE, VILLAGE = "村里代碼", "村里名稱"
COLUMNS = (COUNTY_CODE, COUNTY, TOWNSHIP_CODE, TOWNSHIP, VILLAGE_CODE, VILLAGE)
_CODE = re.compile(r"[0-9A-Za-z-]{1,16}")


@dataclass(frozen=True)
class DivisionRow:
    county_code: str
    county: str
    township_code: str
    township: str
    code: str
    name: str


def _code(record: Record, column: str) -> str:
    value = record.values[column]
    if not _CODE.fullmatch(value):
        raise ImportFileError(record.line, column, "must be 1 to 16 letters, digits or '-'")
    return value


def _name(record: Record, column: str) -> str:
    value = record.values[column]
    if not 1 <= len(value) <= NAME_MAX_LENGTH or not value.isprintable():
        raise ImportFileError(record.line, column, f"must be 1 to {NAME_MAX_LENGTH} characters")
    return value


def parse_record(record: Record) -> DivisionRow:
    return DivisionRow(
        county_code=_code(record, COUNTY_CODE),
        county=_name(record, COUNTY),
        township_code=_code(record, TOWNSHIP_CODE),
        township=_name(record, TOWNSHIP),
        code=_code(record, VILLAGE_CODE),
        name=_name(record, VILLAGE),
    )


class _Consistency:
    """A code names one place in the whole file, a place has one code, a village is listed once."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, object], tuple[object, int]] = {}

    def same(self, line: int, column: str, key: object, meaning: object, problem: str) -> None:
        earlier, earlier_line = self._seen.setdefault((column, key), (meaning, line))
        if earlier != meaning:
            raise ImportFileError(line, column, f"{problem} on line {earlier_line}")

    def once(self, line: int, column: str, key: object) -> None:
        earlier_line = self._seen.setdefault((column, key), (None, line))[1]
        if earlier_line != line:
            raise ImportFileError(line, column, f"is listed twice, also on line {earlier_line}")

    def check(self, line: int, row: DivisionRow) -> None:
        self.same(line, COUNTY, row.county_code, row.county, "this 縣市代碼 has another name")
        self.same(line, COUNTY_CODE, row.county, row.county_code, "this 縣市 has another code")
        township = (row.county_code, row.township)
        self.same(
            line, TOWNSHIP, row.township_code, township, "this 鄉鎮市區代碼 is another township"
        )
        self.same(
            line, TOWNSHIP_CODE, township, row.township_code, "this 鄉鎮市區 has another code"
        )
        self.once(line, VILLAGE_CODE, row.code)
        self.once(line, VILLAGE, (row.township_code, row.name))


def read_divisions(path: Path) -> list[DivisionRow]:
    """Every row of the file, checked; ImportFileError on the first bad one."""
    rows = []
    consistency = _Consistency()
    for record in read_records(path, detect_encoding(path), COLUMNS, extra_columns=True):
        row = parse_record(record)
        consistency.check(record.line, row)
        rows.append(row)
    if not rows:
        raise ImportFileError(2, "row", "the file has no villages")
    return rows


def replace_divisions(rows: Iterable[DivisionRow]) -> int:
    """Make the table hold exactly `rows`, in one transaction."""
    villages = [Village(**vars(row)) for row in rows]
    with transaction.atomic():
        Village.objects.all().delete()
        Village.objects.bulk_create(villages, batch_size=2000)
    return len(villages)
