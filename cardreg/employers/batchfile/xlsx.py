"""The rows of an .xlsx as text, the way the clerk sees them in Excel, read with openpyxl.

Cached values only (data_only): a formula is never evaluated, and a formula cell that no
spreadsheet has calculated reads as empty. Numbers become plain digits: Excel stores a phone
typed into a "General" cell as the number 912345678, and the phone check then says that the
leading 0 was dropped; it must not read as `912345678.0`.
"""

import datetime
import io
import zipfile
from collections.abc import Iterator

import openpyxl

from cardreg.employers.batchfile.problems import (
    MAX_XLSX_UNPACKED_BYTES,
    MIB,
    FileProblem,
    UploadRefused,
)


def xlsx_records(data: bytes) -> Iterator[list[str]]:
    """Every row of the first worksheet, blank rows included, each cell as text."""
    _check_unpacked_size(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises anything from KeyError to XML errors on a bad file
        raise UploadRefused(FileProblem.DAMAGED_XLSX) from None
    try:
        if not workbook.worksheets:
            raise UploadRefused(FileProblem.EMPTY)
        sheet = workbook.worksheets[0]
        # The stored dimensions may be wrong (some programs write "A1"); read what is there.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True):
            yield [cell_text(value) for value in values]
    except UploadRefused:
        raise
    except Exception:  # a damaged sheet may fail only when its rows are read
        raise UploadRefused(FileProblem.DAMAGED_XLSX) from None
    finally:
        workbook.close()


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(FileProblem.DAMAGED_XLSX) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise UploadRefused(
            FileProblem.TOO_LARGE_UNPACKED, limit_mib=MAX_XLSX_UNPACKED_BYTES // MIB
        )


def cell_text(value: object) -> str:
    """A cell's value as Excel shows it in a "General" cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: True is an int
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value)  # other dates and times in ISO form
