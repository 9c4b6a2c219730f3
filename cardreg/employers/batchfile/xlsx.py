"""The rows of an .xlsx as text, the way the clerk sees them in Excel, read as a stream.

An .xlsx is a zip of XML parts, and a hostile one can be small and unpack to hundreds of MiB of
empty cells, which a general reader (openpyxl) scans for half a minute inside the request. This
reads only what a batch file needs (the first sheet, shared and inline strings, the date styles)
with expat, a chunk at a time, and stops as soon as the sheet is wider than MAX_COLUMNS or holds
far more empty cells than values (EMPTY_CELL_ALLOWANCE): the time and memory it takes follow the
values in the file, not what its XML can pretend. No DOCTYPE is accepted, so no entity expands.

Cached values only: a formula is never evaluated, and a formula cell that no spreadsheet has
calculated reads as empty. Numbers become plain digits: Excel stores a phone typed into a
"General" cell as the number 912345678, and the phone check then says that the leading 0 was
dropped; it must not read as `912345678.0`.
"""

import datetime
import io
import posixpath
import re
import time
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO
from xml.parsers import expat

from cardreg.employers.batchfile.problems import (
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    MIB,
    FileProblem,
    UploadRefused,
)

# A batch file has 4 columns (6 for a result file sent back); a value further right than this is
# not a batch file, and an empty cell there is not kept.
MAX_COLUMNS = 16
# Empty cells (formatted but blank, or a flood of `<c/>`) allowed beyond 4 per value; a real sheet
# has a few formatted blank cells, a bomb has millions and no values.
EMPTY_CELL_ALLOWANCE = 100_000
# Within the limits above a sheet still may hold ~16 million elements; reading stops after this
# long (a 200,000-row sheet takes ~3 s here), well before a web worker's 30 s timeout.
MAX_SECONDS = 12
# Excel's own last row; a row number past it is not a sheet Excel wrote.
EXCEL_MAX_ROW = 1_048_576
# Parts other than the sheet and shared strings (workbook, relations, styles) are small.
_SMALL_PART_BYTES = 4 * MIB
_CHUNK = 64 * 1024
# Names are read as written ("c", or "x:c" with a prefix): expat's namespace processing would
# cost a fifth of the time, and a part's prefix is the same throughout.
# Built-in number formats that show a date or time (ECMA-376 18.8.30, with the East Asian ones).
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)  # noqa: DTZ001  - a serial date has no zone
_EPOCH_1904 = datetime.datetime(1904, 1, 1)  # noqa: DTZ001
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]*)")


# What a damaged part raises: a bad zip or deflate stream, a CRC that fails (a zip whose declared
# sizes lie), an encrypted or unknown compression, a part missing, XML that is not well-formed.
_DAMAGED_PART = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    ValueError,
    KeyError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    expat.ExpatError,
)


class _Refused(Exception):
    """Raised inside expat's callbacks; turned into UploadRefused outside them."""

    def __init__(self, refusal: UploadRefused) -> None:
        self.refusal = refusal


def xlsx_records(
    data: bytes, *, max_rows: int = MAX_ROWS, max_seconds: float | None = MAX_SECONDS
) -> Iterator[list[str]]:
    """Every row of the first worksheet, blank rows included, each cell as text; refused once
    reading has taken max_seconds (None: no limit, for a file already read once)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(FileProblem.DAMAGED_XLSX) from None
    with archive:
        _check_unpacked_size(archive)
        try:
            deadline = None if max_seconds is None else time.monotonic() + max_seconds
            book = _Book(archive, max_rows)
            yield from book.rows(deadline)
        except _Refused as refused:
            raise refused.refusal from None
        except _DAMAGED_PART:
            raise UploadRefused(FileProblem.DAMAGED_XLSX) from None


def _check_unpacked_size(archive: zipfile.ZipFile) -> None:
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise UploadRefused(
            FileProblem.TOO_LARGE_UNPACKED, limit_mib=MAX_XLSX_UNPACKED_BYTES // MIB
        )


def _damaged() -> _Refused:
    return _Refused(UploadRefused(FileProblem.DAMAGED_XLSX))


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def no_doctype(*_: object) -> None:
        raise _damaged()

    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    return parser


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _feed(parser: expat.XMLParserType, stream: IO[bytes]) -> Iterator[None]:
    """Parse a part a chunk at a time, giving control back after each chunk."""
    while chunk := stream.read(_CHUNK):
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


def _parse_small(archive: zipfile.ZipFile, name: str, parser: expat.XMLParserType) -> None:
    info = archive.getinfo(name)
    if info.file_size > _SMALL_PART_BYTES:
        raise _damaged()
    with archive.open(info) as stream:
        for _ in _feed(parser, stream):
            pass


class _Book:
    """The parts of the workbook a batch file needs: where the first sheet is, its strings and
    which of its styles show dates."""

    def __init__(self, archive: zipfile.ZipFile, max_rows: int) -> None:
        self.archive, self.max_rows = archive, max_rows
        names = set(archive.namelist())
        relations = self._relations("xl/_rels/workbook.xml.rels")
        sheet_id, self.date1904 = self._workbook()
        if sheet_id is None:
            raise _Refused(UploadRefused(FileProblem.EMPTY))
        sheet = relations.get(sheet_id, ("", ""))[0] or "xl/worksheets/sheet1.xml"
        if sheet not in names:
            raise _damaged()
        self.sheet = sheet
        strings = next(
            (path for path, kind in relations.values() if kind.endswith("/sharedStrings")),
            "xl/sharedStrings.xml",
        )
        styles = next(
            (path for path, kind in relations.values() if kind.endswith("/styles")),
            "xl/styles.xml",
        )
        # A value per cell at most: more strings than cells can only be a flood.
        self.max_strings = (max_rows + 1) * MAX_COLUMNS
        self.strings = self._shared_strings(strings) if strings in names else []
        self.date_styles = self._date_styles(styles) if styles in names else frozenset()

    def _relations(self, name: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (part path, type), for the workbook's relationships."""
        found: dict[str, tuple[str, str]] = {}
        if name not in self.archive.namelist():
            return found
        parser = _parser()

        def start(tag: str, attrs: dict[str, str]) -> None:
            if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
                found[attrs.get("Id", "")] = (posixpath.normpath(path), attrs.get("Type", ""))

        parser.StartElementHandler = start
        _parse_small(self.archive, name, parser)
        return found

    def _workbook(self) -> tuple[str | None, bool]:
        """The first sheet's relationship id, and whether dates count from 1904."""
        sheets: list[str] = []
        date1904 = False
        parser = _parser()

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal date1904
            local = _local(tag)
            if local == "sheet":
                # The relationship id's namespace differs in Strict OOXML; its name does not.
                sheets.append(next((v for k, v in attrs.items() if k.endswith(":id")), ""))
            elif local == "workbookPr":
                date1904 = attrs.get("date1904", "0") in ("1", "true")

        parser.StartElementHandler = start
        _parse_small(self.archive, "xl/workbook.xml", parser)
        return (sheets[0] if sheets else None), date1904

    def _date_styles(self, name: str) -> frozenset[int]:
        """The indexes of the cell styles (the `s` of a cell) that show a number as a date."""
        custom: dict[int, str] = {}
        formats: list[int] = []
        depth_in_xfs = False
        parser = _parser()

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal depth_in_xfs
            local = _local(tag)
            if local == "numFmt":
                custom[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                depth_in_xfs = True
            elif local == "xf" and depth_in_xfs:
                formats.append(_int(attrs.get("numFmtId")))

        def end(tag: str) -> None:
            nonlocal depth_in_xfs
            if _local(tag) == "cellXfs":
                depth_in_xfs = False

        parser.StartElementHandler, parser.EndElementHandler = start, end
        _parse_small(self.archive, name, parser)
        return frozenset(
            index
            for index, format_id in enumerate(formats)
            if _shows_a_date(format_id, custom.get(format_id))
        )

    def _shared_strings(self, name: str) -> list[str]:
        strings: list[str] = []
        limit = self.max_strings
        parts: list[str] = []
        in_text = False
        phonetic = 0  # inside <rPh>: the reading of a name, which Excel does not show
        parser = _parser()

        def start(tag: str, _attrs: dict[str, str]) -> None:
            nonlocal in_text, phonetic
            local = _local(tag)
            if local == "t":
                in_text = not phonetic
            elif local == "rPh":
                phonetic += 1
            elif local == "si" and len(strings) == limit:
                raise _Refused(UploadRefused(FileProblem.TOO_MANY_ROWS, limit=self.max_rows))

        def end(tag: str) -> None:
            nonlocal in_text, phonetic
            local = _local(tag)
            if local == "t":
                in_text = False
            elif local == "rPh":
                phonetic -= 1
            elif local == "si":
                strings.append("".join(parts))
                parts.clear()

        def text(data: str) -> None:
            if in_text:
                parts.append(data)

        parser.StartElementHandler, parser.EndElementHandler = start, end
        parser.CharacterDataHandler = text
        with self.archive.open(name) as stream:
            for _ in _feed(parser, stream):
                pass
        return strings

    def rows(self, deadline: float | None) -> Iterator[list[str]]:
        parser = _parser()
        sheet = _SheetReader(self, parser)
        parser.StartElementHandler = sheet.first
        parser.CharacterDataHandler = sheet.text
        with self.archive.open(self.sheet) as stream:
            for _ in _feed(parser, stream):
                yield from sheet.ready
                sheet.ready.clear()
                if deadline is not None and time.monotonic() > deadline:
                    raise _Refused(UploadRefused(FileProblem.TOO_SLOW, limit=MAX_SECONDS))


class _SheetReader:
    """expat callbacks for a worksheet: whole rows land in ``ready``.

    The callbacks run for every element of a sheet of up to a million, so they compare whole
    names (with the prefix the root element has) and keep to as few steps as they can.
    """

    def __init__(self, book: _Book, parser: expat.XMLParserType) -> None:
        self.strings, self.date_styles = book.strings, book.date_styles
        self.epoch = _EPOCH_1904 if book.date1904 else _EXCEL_EPOCH
        self.parser = parser
        self.ready: list[list[str]] = []
        self.row_number = 0  # the last row given
        self.cells: list[str] = []
        self.column = 0  # the last cell's column, 1 = A
        self.kind = self.style = ""
        self.value: list[str] = []
        self.collecting = False
        self.in_inline = False
        self.phonetic = 0
        self.empty_budget = EMPTY_CELL_ALLOWANCE
        self.names: dict[str, str] = {}

    def first(self, tag: str, _attrs: dict[str, str]) -> None:
        """The root element: its prefix is the prefix of every name of the sheet."""
        prefix = tag[: tag.index(":") + 1] if ":" in tag else ""
        self.names = {prefix + local: local for local in ("c", "v", "t", "is", "rPh", "row")}
        self.parser.StartElementHandler, self.parser.EndElementHandler = self.start, self.end

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = self.names.get(tag)
        if local is None:
            return
        if local == "c":
            ref = attrs.get("r")
            self.column = self.column + 1 if ref is None else self._column(ref)
            self.kind = attrs.get("t", "n")
            self.style = attrs.get("s", "")
            self.value = []
        elif local == "v":
            self.collecting = True
        elif local == "t":
            self.collecting = self.in_inline and not self.phonetic
        elif local == "row":
            self._start_row(attrs.get("r"))
        elif local == "is":
            self.in_inline = True
        else:
            self.phonetic += 1

    def end(self, tag: str) -> None:
        local = self.names.get(tag)
        if local is None:
            return
        if local == "c":
            self._cell()
        elif local == "v" or local == "t":
            self.collecting = False
        elif local == "row":
            if not self.cells:
                self._spend(1)
            self.ready.append(self.cells)
        elif local == "is":
            self.in_inline = False
        else:
            self.phonetic -= 1

    def text(self, data: str) -> None:
        if self.collecting:
            self.value.append(data)

    def _start_row(self, ref: str | None) -> None:
        number = _int(ref, self.row_number + 1)
        if not self.row_number < number <= EXCEL_MAX_ROW:
            raise _damaged()
        gap = number - self.row_number - 1
        if gap:
            # The rows Excel did not write are blank, and keep their place in the numbering.
            self._spend(gap)
            self.ready.extend([] for _ in range(gap))
        self.row_number, self.column = number, 0
        self.cells = []

    def _column(self, ref: str) -> int:
        match = _CELL_REF.match(ref)
        if match is None:
            raise _damaged()
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - 64
        if column <= self.column:  # cells come left to right
            raise _damaged()
        return column

    def _cell(self) -> None:
        text = self._text("".join(self.value)) if self.value else ""
        column = self.column
        if not text:
            self._spend(1)
            return
        if column > MAX_COLUMNS:
            raise _Refused(UploadRefused(FileProblem.TOO_MANY_COLUMNS, limit=MAX_COLUMNS))
        self.empty_budget += 4
        cells = self.cells
        if len(cells) < column - 1:
            cells.extend([""] * (column - 1 - len(cells)))
        cells.append(text)

    def _spend(self, empty: int) -> None:
        self.empty_budget -= empty
        if self.empty_budget < 0:
            raise _Refused(UploadRefused(FileProblem.TOO_MANY_EMPTY_CELLS))

    def _text(self, raw: str) -> str:
        kind = self.kind
        if kind == "n":
            return self._number(raw.strip())
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                raise _damaged() from None
        if kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE"
        if kind == "d":  # an ISO date, which only some programs write
            return raw.removesuffix("T00:00:00").replace("T", " ")
        return raw  # inlineStr, str (a formula's text), e (an error such as #N/A)

    def _number(self, raw: str) -> str:
        if self.style and self.date_styles and _int(self.style) in self.date_styles:
            try:
                return _serial_date_text(float(raw), self.epoch)
            except (OverflowError, ValueError):
                pass  # a number no date can be: shown as the number
        if raw.isascii() and raw.isdigit():
            return str(int(raw))  # "0012" is 12, as Excel shows it
        try:
            return cell_text(float(raw))
        except ValueError:
            raise _damaged() from None


def _serial_date_text(serial: float, epoch: datetime.datetime) -> str:
    moment = epoch + datetime.timedelta(days=serial)
    moment = moment.replace(microsecond=0) + datetime.timedelta(
        seconds=round(moment.microsecond / 1e6)
    )
    if 0 <= serial < 1:  # a time of day with no date
        return moment.time().isoformat()
    return cell_text(moment)


def _shows_a_date(format_id: int, code: str | None) -> bool:
    if code is None:
        return format_id in _DATE_FORMAT_IDS
    section = _FORMAT_NOISE.sub("", code).split(";")[0].lower()
    return any(letter in section for letter in "dyhs") or (
        "m" in section and "0" not in section and "#" not in section
    )


def _int(value: str | None, default: int = 0) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise _damaged() from None


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
