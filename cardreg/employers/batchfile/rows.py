"""Checking each data row: the ID, the e-mail, the phones, the column count, duplicates.

The checks are the pure helpers of cardreg.lib, as on the individual form; values are
normalised the same way (half-width e-mail, 10-digit mobile, `02-12345678#1234`). Whether a
person is insured by the unit, or already registered, needs the database and is the caller's.
Hot path: 100,000 rows in well under a second, so a value already in its normal form takes the
short way (fastpath.py) and only the others pay for the lib's full explanation.
"""

import enum
import types
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from cardreg.employers.batchfile.columns import COLUMNS, Column
from cardreg.employers.batchfile.emails import EmailProblem, check_email, normalise_email
from cardreg.employers.batchfile.fastpath import (
    is_plain_landline,
    is_plain_mobile,
    is_plain_valid_id,
)
from cardreg.employers.batchfile.reading import SourceRow, Upload
from cardreg.lib.national_id import IdProblem, check_national_id
from cardreg.lib.phones import PhoneError, PhoneProblem, parse_landline, parse_mobile


class RowProblemCode(enum.StrEnum):
    COLUMN_COUNT = "column_count"  # found, expected: more cells than the four columns
    DUPLICATE = "duplicate"  # first_row: the same ID is on an earlier row of the file


ProblemCode = IdProblem | EmailProblem | PhoneProblem | RowProblemCode
_NO_PARAMS: Mapping[str, str | int] = types.MappingProxyType({})


class RowProblem(NamedTuple):
    """One problem of a row. Codes of different enums share strings ("empty"): tell them apart
    by type (isinstance) or by the column, never by the string alone."""

    column: Column | None  # None: the whole row (COLUMN_COUNT)
    code: ProblemCode
    # suggestion: the corrected phone to offer (a mobile without its 0; never an ID);
    # first_row: DUPLICATE's earlier row; found, expected: COLUMN_COUNT's numbers of columns.
    params: Mapping[str, str | int] = _NO_PARAMS


class RowResult(NamedTuple):
    """A data row checked. Valid values are normalised; an invalid one is kept as given
    (stripped), so that the log can show it masked."""

    number: int  # 第N筆資料
    national_id: str
    email: str
    mobile: str  # 09 + 8 digits
    landline: str  # "" (not given), or e.g. 02-12345678#1234
    problems: tuple[RowProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


_WIDTH = len(COLUMNS)
_PADDING = ("",) * _WIDTH
# A NamedTuple's own __new__ is Python code, twice as slow as this, which builds the same object.
_new_tuple = tuple.__new__


def validate_rows(upload: Upload) -> Iterator[RowResult]:
    """One result per data row, in file order. A repeated ID fails on every row but its first."""
    first_rows: dict[str, int] = {}
    for row in upload.rows:
        yield validate_row(row, first_rows)


def validate_row(row: SourceRow, first_rows: dict[str, int]) -> RowResult:
    """Check one row; `first_rows` (ID → its first row) is shared by the rows of one file."""
    number, cells = row
    if len(cells) > _WIDTH:
        params = {"found": len(cells), "expected": _WIDTH}
        problem = RowProblem(None, RowProblemCode.COLUMN_COUNT, params)
        return RowResult(number, cells[0].strip(), "", "", "", (problem,))
    id_cell, email_cell, mobile_cell, landline_cell = (
        cells if len(cells) == _WIDTH else (cells + _PADDING)[:_WIDTH]
    )
    national_id, email = id_cell.strip(), normalise_email(email_cell)
    mobile, landline = mobile_cell.strip(), landline_cell.strip()
    if (
        is_plain_valid_id(national_id)
        and check_email(email) is None
        and is_plain_mobile(mobile)
        and (not landline or is_plain_landline(landline))
        and first_rows.setdefault(national_id, number) == number
    ):
        return _new_tuple(RowResult, (number, national_id, email, mobile, landline, ()))
    return _explained(number, national_id, email, mobile, landline, first_rows)


def _explained(
    number: int,
    national_id: str,
    email: str,
    mobile: str,
    landline: str,
    first_rows: dict[str, int],
) -> RowResult:
    """The row with each problem the lib finds; values the short way accepts are not asked again."""
    problems = _check_id(national_id, number, first_rows)
    email_problem = check_email(email)
    if email_problem is not None:
        problems += (RowProblem(Column.EMAIL, email_problem),)
    mobile, mobile_problems = _check_mobile(mobile)
    landline, landline_problems = _check_landline(landline)
    problems += mobile_problems + landline_problems
    return RowResult(number, national_id, email, mobile, landline, problems)


def _check_id(national_id: str, number: int, first_rows: dict[str, int]) -> tuple[RowProblem, ...]:
    problem = None if is_plain_valid_id(national_id) else check_national_id(national_id)
    if problem is not None:
        # No corrected ID is offered: it would carry the full ID into the log, the mail, the
        # preview and the API; the problem itself says what to change (大寫, 半形, no spaces).
        return (RowProblem(Column.NATIONAL_ID, problem),)
    first = first_rows.setdefault(national_id, number)
    if first != number:
        return (RowProblem(Column.NATIONAL_ID, RowProblemCode.DUPLICATE, {"first_row": first}),)
    return ()


def _check_mobile(text: str) -> tuple[str, tuple[RowProblem, ...]]:
    if is_plain_mobile(text):
        return text, ()
    try:
        return parse_mobile(text).number, ()
    except PhoneError as error:
        return text, (_phone_problem(Column.MOBILE, error),)


def _check_landline(text: str) -> tuple[str, tuple[RowProblem, ...]]:
    if not text or is_plain_landline(text):  # 聯絡電話 is optional
        return text, ()
    try:
        return str(parse_landline(text)), ()
    except PhoneError as error:
        return text, (_phone_problem(Column.LANDLINE, error),)


def _phone_problem(column: Column, error: PhoneError) -> RowProblem:
    params = {"suggestion": error.suggestion} if error.suggestion else _NO_PARAMS
    return RowProblem(column, error.problem, params)
