"""Reading an uploaded batch file into rows of cells: content, encoding, limits, shape.

A CSV is decoded as a whole before it is split, trying UTF-8 (with or without BOM), then CP950,
then Big5-HKSCS (TIPS.md): in Big5 the second byte of 許 功 蓋 is a backslash, and some names
exist only in HKSCS. An .xlsx is streamed (xlsx.py: first sheet, cached values, never a formula).

Rows: the first non-blank row is the header and is not uploaded (「<-第一列請勿上傳」). Data row
N is the N-th row after the header, blank rows included, so that 第N筆資料 of the log, the
preview and the API is always row N + 1 of the clerk's sheet (the header being its row 1; a cell
with a line break is still one row). Blank rows get no result and do not count in 上傳筆數.
Trailing empty cells (Excel writes `,,,` for formatted cells) are dropped.

Everything wrong with the file as a whole raises UploadRefused; a problem of one row is that
row's (rows.py).
"""

import collections
import csv
import io
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from cardreg.employers.batchfile.columns import COLUMNS, REASON_TITLE, RESULT_TITLE, unprotect_cell
from cardreg.employers.batchfile.content import ContentKind, sniff_content
from cardreg.employers.batchfile.names import FileFormat, file_format
from cardreg.employers.batchfile.problems import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_ROWS,
    MIB,
    FileProblem,
    UploadRefused,
)
from cardreg.lib.national_id import is_valid_national_id

ENCODINGS = ("utf-8-sig", "cp950", "big5hkscs")
_WIDTH = len(COLUMNS)
# A NamedTuple's own __new__ is Python code, twice as slow as this, which builds the same object.
_new_tuple = tuple.__new__
_UTF8_BOM = b"\xef\xbb\xbf"
# A row of one cell holding one of these was saved with another delimiter (a European Excel
# writes `;`, "Unicode text" writes tabs).
_OTHER_DELIMITERS = (";", "\t", "|")


class SourceRow(NamedTuple):
    number: int  # data row number: 第N筆資料, 1 = the row after the header
    cells: tuple[str, ...]  # as the clerk wrote them, trailing empty cells dropped


class Upload(NamedTuple):
    format: FileFormat
    encoding: str  # utf-8, utf-8-sig, cp950 or big5hkscs; "" for an .xlsx
    header: tuple[str, ...]
    rows: list[SourceRow]  # the non-blank data rows, in file order
    # The header's first cell is a valid ID: the clerk may have deleted the header row, and that
    # row, which is not uploaded, may be an employee. The preview should say so.
    header_looks_like_data: bool
    row_count: int = -1  # scan_upload(): the number of data rows, which it does not keep

    @property
    def total(self) -> int:
        """上傳筆數: the data rows, blank rows not counted."""
        return len(self.rows) if self.row_count < 0 else self.row_count


def read_upload(
    data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> Upload:
    """The rows of an uploaded file; UploadRefused if the file as a whole cannot be used.

    The format follows the name's extension (check_file_name() has checked it): .xlsx is a
    workbook, anything else a CSV, and the content must be what the extension says.
    """
    fmt, encoding, records, may_be_protected = _open(data, filename, max_bytes, max_rows)
    stream = _RowStream(records, may_be_protected, max_rows)
    rows = list(stream)
    return Upload(fmt, encoding, stream.header, rows, stream.finish())


def scan_upload(
    data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> Upload:
    """read_upload() without keeping the rows (``rows`` is empty; use ``count``): the same
    checks in bounded memory, for a file too large to hold as rows; ``total`` counts them."""
    fmt, encoding, records, may_be_protected = _open(data, filename, max_bytes, max_rows)
    stream = _RowStream(records, may_be_protected, max_rows)
    count = sum(1 for _ in stream)
    return Upload(fmt, encoding, stream.header, [], stream.finish(), count)


def stream_rows(data: bytes, upload: Upload) -> Iterator[SourceRow]:
    """The data rows of a file scan_upload() or read_upload() accepted, one at a time, decoding
    as it goes (a CSV is not held as one string)."""
    if upload.format is FileFormat.XLSX:
        from cardreg.employers.batchfile.xlsx import xlsx_records

        records = xlsx_records(data, max_rows=upload.total, max_seconds=None)
        return iter(_RowStream(records, True, upload.total))
    text = io.TextIOWrapper(io.BytesIO(data), encoding=upload.encoding or "utf-8", newline="")
    # Neither UTF-8 nor Big5 has the byte of ' inside another character.
    return iter(_RowStream(csv_records(text), b"'" in data, upload.total))


def _open(
    data: bytes, filename: str, max_bytes: int, max_rows: int
) -> tuple[FileFormat, str, Iterator[list[str]], bool]:
    fmt = file_format(filename) or FileFormat.CSV
    if not data:
        raise UploadRefused(FileProblem.EMPTY)
    if len(data) > max_bytes:
        raise UploadRefused(FileProblem.TOO_LARGE, limit_mib=max_bytes // MIB)
    kind = sniff_content(data)
    expected = ContentKind.XLSX if fmt is FileFormat.XLSX else ContentKind.TEXT
    if kind is not expected:
        raise UploadRefused(FileProblem.WRONG_CONTENT, kind=kind, expected=fmt)
    if fmt is FileFormat.XLSX:
        from cardreg.employers.batchfile.xlsx import xlsx_records

        return fmt, "", xlsx_records(data, max_rows=max_rows), True
    text, encoding = decode_text(data)
    return fmt, encoding, csv_records(io.StringIO(text, newline="")), "'" in text


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in; UploadRefused naming the line where even the
    encoding that read furthest stopped (a UTF-8 file with one bad byte: that byte's line)."""
    furthest = 0
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            furthest = max(furthest, error.start)
            continue
        if encoding == "utf-8-sig" and not data.startswith(_UTF8_BOM):
            return text, "utf-8"
        return text, encoding
    raise UploadRefused(FileProblem.ENCODING, line=data.count(b"\n", 0, furthest) + 1)


def csv_records(text: Iterable[str]) -> Iterator[list[str]]:
    """The records of a CSV text (a file object opened with newline=""); UploadRefused at a
    quote left open or a cell over MAX_CELL_CHARS characters."""
    # strict: a quote still open at the end would otherwise swallow the rest of the file silently.
    reader = csv.reader(text, strict=True)
    line = 0  # the last line of the last good record
    try:
        for record in reader:
            line = reader.line_num
            yield record
    except csv.Error as error:
        # The module tells the two apart only by its message; "field larger than field limit"
        # is the wording of every CPython since 2.5.
        if "field limit" in str(error):
            raise UploadRefused(
                FileProblem.CELL_TOO_LONG, line=line + 1, limit=MAX_CELL_CHARS
            ) from None
        raise UploadRefused(FileProblem.CSV_SYNTAX, line=line + 1) from None


class _RowStream:
    """The data rows of a file's records, checked as they pass; ``finish()`` after the last one
    raises what can only be told of the whole file, and says whether the header looks like data."""

    def __init__(self, records: Iterable[list[str]], may_be_protected: bool, max_rows: int) -> None:
        self.records = iter(records)
        header = next((record for record in self.records if _trim(record)), None)
        if header is None:
            raise UploadRefused(FileProblem.EMPTY)
        self.header = tuple(header)
        self.may_be_protected, self.max_rows = may_be_protected, max_rows
        self.count = self.misshapen = 0
        self.widths: collections.Counter[int] = collections.Counter()

    def __iter__(self) -> Iterator[SourceRow]:
        result_file = [cell.strip() for cell in self.header[4:6]] == [RESULT_TITLE, REASON_TITLE]
        may_be_protected, max_rows, widths = self.may_be_protected, self.max_rows, self.widths
        count = misshapen = 0
        for number, cells in enumerate(self.records, start=1):
            if result_file:
                del cells[_WIDTH : _WIDTH + 2]
            # A blank row, or Excel's trailing empty cells (the first test keeps the usual
            # row fast).
            if (not cells or not cells[-1].strip()) and not _trim(cells):
                continue
            if count == max_rows:
                raise UploadRefused(FileProblem.TOO_MANY_ROWS, limit=max_rows)
            count += 1
            if may_be_protected:
                cells = [unprotect_cell(cell) for cell in cells]
            widths[len(cells)] += 1
            if not 1 < len(cells) <= _WIDTH:
                misshapen += _is_misshapen(cells)
            yield _new_tuple(SourceRow, (number, tuple(cells)))
        self.count, self.misshapen = count, misshapen

    def finish(self) -> bool:
        if not self.count:
            raise UploadRefused(FileProblem.HEADER_ONLY)
        if self.misshapen * 2 > self.count:
            usual = max(self.widths, key=lambda width: self.widths[width])
            raise UploadRefused(FileProblem.NOT_BATCH_FORMAT, expected=_WIDTH, found=usual)
        return _looks_like_an_id(self.header[0])


def _trim(record: list[str]) -> list[str]:
    """Drop the record's trailing empty cells, in place (records are not reused)."""
    while record and not record[-1].strip():
        record.pop()
    return record


def _is_misshapen(cells: list[str]) -> bool:
    """More columns than the four, or one cell that holds the four with another delimiter."""
    if len(cells) == 1:
        return any(delimiter in cells[0] for delimiter in _OTHER_DELIMITERS)
    return len(cells) > _WIDTH


def _looks_like_an_id(cell: str) -> bool:
    return is_valid_national_id(cell.strip())
