"""Reading uploaded files: encodings, CSV syntax, rows and numbering, content checks, limits."""

import csv
import io
import string
import time
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

import openpyxl
import pytest
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cardreg.employers.batchfile import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_ROWS,
    ContentKind,
    FileFormat,
    FileProblem,
    SourceRow,
    Upload,
    UploadRefused,
    bombs,
    read_upload,
    validate_rows,
    xlsx,
)
from cardreg.employers.wording import file_message
from cardreg.lib.national_id import make_national_id
from cardreg.lib.phones import SUBSCRIBER_DIGITS

HEADER = ["身分證號", "電子郵件", "行動電話", "聯絡電話"]
ROW = ["A123456789", "wang@example.com.tw", "0912345678", "02-12345678#1234"]
CSV_NAME = "1200000001050530.CSV"
XLSX_NAME = "1200000001050530.xlsx"


def csv_bytes(
    rows: Sequence[Sequence[str]],
    encoding: str = "utf-8",
    *,
    header: Sequence[str] = HEADER,
    newline: str = "\r\n",
    quote_all: bool = False,
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    if quote_all:
        writer = csv.writer(out, lineterminator=newline, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], *, header: Sequence[object] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def refusal(data: bytes, name: str = CSV_NAME) -> UploadRefused:
    with pytest.raises(UploadRefused) as raised:
        read_upload(data, name)
    return raised.value


def cells(upload: Upload) -> list[tuple[int, tuple[str, ...]]]:
    return [(row.number, row.cells) for row in upload.rows]


# Encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp950", "cp950")],
)
def test_reads_utf8_with_or_without_bom_and_cp950(encoding: str, reported: str) -> None:
    upload = read_upload(csv_bytes([ROW], encoding), CSV_NAME)
    assert upload.encoding == reported
    assert upload.header == tuple(HEADER)
    assert cells(upload) == [(1, tuple(ROW))]


def test_falls_back_to_big5_hkscs_for_names_cp950_lacks() -> None:
    # 堃 and 峯 exist only in HKSCS; here they are garbage typed into the 聯絡電話 column.
    data = csv_bytes([[*ROW[:3], "高堃,林峯 分機"]], "big5hkscs")
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp950")
    upload = read_upload(data, CSV_NAME)
    assert upload.encoding == "big5hkscs"
    assert upload.rows[0].cells[3] == "高堃,林峯 分機"


def test_big5_backslash_second_bytes_do_not_split_cells() -> None:
    # In Big5 許 功 蓋 end in 0x5C ("\"); decoding before splitting keeps the quoted cell whole.
    data = csv_bytes([[*ROW[:3], '許功蓋,"公司"']], "cp950")
    assert b"\\" in data
    assert read_upload(data, CSV_NAME).rows[0].cells[3] == '許功蓋,"公司"'


def test_refuses_text_in_no_known_encoding_naming_the_line() -> None:
    data = csv_bytes([ROW, ROW]) + b"A123456789,\x80\x80@x.tw,0912345678\r\n"
    problem = refusal(data)
    assert problem.problem is FileProblem.ENCODING
    assert problem.params == {"line": 4}


# CSV syntax -----------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_reads_any_line_ending(newline: str) -> None:
    upload = read_upload(csv_bytes([ROW, ROW], newline=newline), CSV_NAME)
    assert cells(upload) == [(1, tuple(ROW)), (2, tuple(ROW))]


def test_reads_quoted_cells_with_commas_quotes_and_newlines() -> None:
    odd = [ROW[0], 'a"b@x.tw', "0912,345,678", "02-1234\r\n5678"]
    upload = read_upload(csv_bytes([odd, ROW], quote_all=True), CSV_NAME)
    # A line break inside a quoted cell does not start a new row, nor shift the numbering.
    assert cells(upload) == [(1, tuple(odd)), (2, tuple(ROW))]


def test_drops_the_empty_columns_excel_adds() -> None:
    data = b"\xe8\xba\xab,,,,,\r\nA123456789,a@b.tw,0912345678,,,\r\nA123456789,a@b.tw,,  ,\r\n"
    assert cells(read_upload(data, CSV_NAME)) == [
        (1, ("A123456789", "a@b.tw", "0912345678")),
        (2, ("A123456789", "a@b.tw")),
    ]


def test_refuses_a_quote_left_open_naming_the_line_it_opens_on() -> None:
    data = csv_bytes([ROW]) + b'A123456789,"a@b.tw,0912345678\r\n' + csv_bytes([ROW], header=ROW)
    problem = refusal(data)
    assert problem.problem is FileProblem.CSV_SYNTAX
    assert problem.params == {"line": 3}


# Rows and their numbers -----------------------------------------------------------------------


def test_blank_rows_are_skipped_but_keep_their_place_in_the_numbering() -> None:
    data = csv_bytes([ROW, [], ["", " ", ""], ROW, []])
    upload = read_upload(data, CSV_NAME)
    assert [row.number for row in upload.rows] == [1, 4]
    assert upload.total == 2


def test_the_first_non_blank_row_is_the_header() -> None:
    data = b"\r\n\r\n" + csv_bytes([ROW])
    upload = read_upload(data, CSV_NAME)
    assert upload.header == tuple(HEADER)
    assert cells(upload) == [(1, tuple(ROW))]


def test_says_when_the_header_row_looks_like_an_employee() -> None:
    # The first row is never uploaded: a clerk who deleted the header would lose that person.
    assert read_upload(csv_bytes([ROW], header=ROW), CSV_NAME).header_looks_like_data
    assert not read_upload(csv_bytes([ROW]), CSV_NAME).header_looks_like_data


def test_a_minority_of_rows_with_extra_columns_stays_the_rows_problem() -> None:
    upload = read_upload(csv_bytes([ROW, [*ROW, "王小明"], ROW]), CSV_NAME)
    assert [len(row.cells) for row in upload.rows] == [4, 5, 4]


@pytest.mark.parametrize(
    ("rows", "found"),
    [
        ([[*ROW, "王小明", "業務部"]] * 3 + [ROW], 6),  # extra columns (a staff list)
        ([[";".join(ROW)]] * 3, 1),  # saved with semicolons
        ([["\t".join(ROW)]] * 2 + [ROW], 1),  # tab-separated
    ],
)
def test_refuses_a_file_whose_rows_mostly_have_another_shape(
    rows: list[list[str]], found: int
) -> None:
    problem = refusal(csv_bytes(rows))
    assert problem.problem is FileProblem.NOT_BATCH_FORMAT
    assert problem.params == {"expected": 4, "found": found}


def test_formula_like_cells_are_read_as_plain_text() -> None:
    formulas = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)"]
    assert read_upload(csv_bytes([formulas]), CSV_NAME).rows[0].cells == tuple(formulas)


# Whole-file refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"\r\n\r\n", b" , ,\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"],
)
def test_refuses_an_empty_file(data: bytes) -> None:
    assert refusal(data).problem is FileProblem.EMPTY


@pytest.mark.parametrize("data", [csv_bytes([]), csv_bytes([]) + b",,,\r\n\r\n"])
def test_refuses_a_file_with_only_the_header(data: bytes) -> None:
    assert refusal(data).problem is FileProblem.HEADER_ONLY


def test_limits_are_twenty_mib_and_two_hundred_thousand_rows() -> None:
    assert MAX_BYTES == 20 * 1024 * 1024
    assert MAX_ROWS == 200_000


def _blank_lines(size: int) -> bytes:
    return (b" " * 999 + b"\n") * (size // 1000) + b" " * (size % 1000)


def test_refuses_a_file_over_the_size_limit() -> None:
    data = csv_bytes([ROW])
    problem = refusal(data + _blank_lines(MAX_BYTES - len(data) + 1))
    assert problem.problem is FileProblem.TOO_LARGE
    assert problem.params == {"limit_mib": 20}
    assert read_upload(data + _blank_lines(MAX_BYTES - len(data)), CSV_NAME).total == 1


@pytest.mark.parametrize("length", [MAX_CELL_CHARS + 1, 1_000_000])
def test_refuses_a_cell_longer_than_any_real_one_as_too_long(length: int) -> None:
    problem = refusal(csv_bytes([ROW, [ROW[0], "x" * length]]))
    # Not 「引號沒有成對」: the clerk would look for a quote that is not there.
    assert problem.problem is FileProblem.CELL_TOO_LONG
    assert problem.params == {"line": 3, "limit": MAX_CELL_CHARS}
    assert read_upload(csv_bytes([ROW, [ROW[0], "x" * MAX_CELL_CHARS]]), CSV_NAME).total == 2


def test_the_cell_limit_is_the_csv_modules() -> None:
    assert csv.field_size_limit() == MAX_CELL_CHARS


def test_a_quote_left_open_before_many_lines_is_a_too_long_cell_on_its_line() -> None:
    rows = csv_bytes([ROW]) + b'A123456789,"a@b.tw,0912345678\r\n'
    problem = refusal(rows + csv_bytes([ROW] * 5_000, header=ROW))
    assert problem.problem is FileProblem.CELL_TOO_LONG
    assert problem.params == {"line": 3, "limit": MAX_CELL_CHARS}


def test_the_too_long_cell_is_worded_in_both_languages() -> None:
    refused = UploadRefused(FileProblem.CELL_TOO_LONG, line=3, limit=MAX_CELL_CHARS)
    with translation.override("zh-hant"):
        assert file_message(refused) == (
            "第 3 行有一個儲存格超過 131072 個字元，請檢查該行（可能少了一個引號）。"
        )
    with translation.override("en"):
        assert file_message(refused) == (
            "A cell on line 3 has more than 131072 characters. Please check that line "
            "(a quotation mark may be missing)."
        )


def test_refuses_more_rows_than_the_limit() -> None:
    row = ",".join(ROW).encode() + b"\r\n"
    data = csv_bytes([]) + row * MAX_ROWS
    assert read_upload(data, CSV_NAME).total == MAX_ROWS
    problem = refusal(data + b"\r\n" + row)  # a blank row does not count, the next does
    assert problem.problem is FileProblem.TOO_MANY_ROWS
    assert problem.params == {"limit": MAX_ROWS}


def test_nul_bytes_make_a_csv_binary() -> None:
    problem = refusal(csv_bytes([ROW]) + b"A123456789\x00,a@b.tw,0912345678\r\n")
    assert problem.problem is FileProblem.WRONG_CONTENT
    assert problem.params == {"kind": ContentKind.BINARY, "expected": FileFormat.CSV}


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ContentKind.PDF),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", ContentKind.EXECUTABLE),
        (b"\x7fELF\x02\x01\x01\x00", ContentKind.EXECUTABLE),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ContentKind.IMAGE),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", ContentKind.IMAGE),
        (b"GIF89a\x01\x00", ContentKind.IMAGE),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", ContentKind.OLE2),  # .xls
        (b"\x1f\x8b\x08\x00", ContentKind.ARCHIVE),
        ("身分證號\t電子郵件\r\n".encode("utf-16"), ContentKind.UTF16_TEXT),
        (_zip({"employees.csv": b"A123456789,a@b.tw,0912345678"}), ContentKind.ZIP),
        (b"PK\x03\x04 not really a zip", ContentKind.ZIP),
        (xlsx_bytes([ROW]), ContentKind.XLSX),
    ],
)
def test_refuses_a_renamed_binary_as_csv(data: bytes, kind: ContentKind) -> None:
    problem = refusal(data)
    assert problem.problem is FileProblem.WRONG_CONTENT
    assert problem.params == {"kind": kind, "expected": FileFormat.CSV}


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (csv_bytes([ROW]), ContentKind.TEXT),
        (_zip({"word/document.xml": b"<w/>"}), ContentKind.ZIP),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", ContentKind.OLE2),  # or password-protected
        (b"%PDF-1.7\n", ContentKind.PDF),
    ],
)
def test_refuses_a_file_named_xlsx_that_is_no_workbook(data: bytes, kind: ContentKind) -> None:
    problem = refusal(data, XLSX_NAME)
    assert problem.problem is FileProblem.WRONG_CONTENT
    assert problem.params == {"kind": kind, "expected": FileFormat.XLSX}


def test_refuses_a_damaged_workbook() -> None:
    data = _zip({"[Content_Types].xml": b"<nonsense", "xl/workbook.xml": b"<nonsense"})
    assert refusal(data, XLSX_NAME).problem is FileProblem.DAMAGED_XLSX


def test_refuses_a_workbook_that_unpacks_to_too_much(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_XLSX_UNPACKED_BYTES", 1024)
    problem = refusal(xlsx_bytes([ROW] * 100), XLSX_NAME)
    assert problem.problem is FileProblem.TOO_LARGE_UNPACKED
    assert problem.params == {"limit_mib": 0}


# .xlsx ----------------------------------------------------------------------------------------


def test_reads_the_first_sheet_of_a_workbook() -> None:
    upload = read_upload(xlsx_bytes([ROW, ROW]), XLSX_NAME)
    assert upload.format is FileFormat.XLSX
    assert cells(upload) == [(1, tuple(ROW)), (2, tuple(ROW))]


def test_numbers_excel_stored_read_as_plain_digits() -> None:
    row = [ROW[0], ROW[1], 912345678, 223456789.0]
    upload = read_upload(xlsx_bytes([row, [ROW[0], 1.5, True, date(2016, 5, 30)]]), XLSX_NAME)
    assert cells(upload) == [
        (1, (ROW[0], ROW[1], "912345678", "223456789")),
        (2, (ROW[0], "1.5", "TRUE", "2016-05-30")),
    ]
    [first, _] = validate_rows(upload)
    assert [(p.column, p.code, dict(p.params)) for p in first.problems] == [
        ("mobile", "leading_zero_dropped", {"suggestion": "0912345678"}),
        ("landline", "leading_zero_dropped", {"suggestion": "02-23456789"}),
    ]


def test_workbook_rows_keep_their_sheet_numbers_and_formulas_are_not_run() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet["A3"], sheet["B3"], sheet["C3"] = ROW[0], ROW[1], ROW[2]
    sheet["A5"], sheet["B5"], sheet["C5"] = ROW[0], '=HYPERLINK("http://x")', "=0&912345678"
    workbook.create_sheet("其他").append(["not read"])
    out = io.BytesIO()
    workbook.save(out)
    upload = read_upload(out.getvalue(), XLSX_NAME)
    # Sheet row 3 is data row 2. openpyxl saves no cached value, so a formula reads as empty.
    assert cells(upload) == [(2, (ROW[0], ROW[1], ROW[2])), (4, (ROW[0],))]


def test_refuses_an_empty_workbook_and_one_with_only_the_header() -> None:
    empty = io.BytesIO()
    openpyxl.Workbook().save(empty)
    assert refusal(empty.getvalue(), XLSX_NAME).problem is FileProblem.EMPTY
    assert refusal(xlsx_bytes([]), XLSX_NAME).problem is FileProblem.HEADER_ONLY


# Property: any valid rows, in any encoding and CSV dialect, come back exactly ----------------

LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
national_ids = st.builds(
    make_national_id,
    st.sampled_from(LETTERS),
    st.sampled_from("1289ABCD"),
    st.text(string.digits, min_size=7, max_size=7),
)
local_parts = st.from_regex(r"[a-z0-9](?:[a-z0-9._+-]{0,20}[a-z0-9])?", fullmatch=True).filter(
    lambda local: ".." not in local
)
emails = st.builds(
    "{}@{}".format, local_parts, st.sampled_from(["example.com.tw", "gmail.com", "nhi.gov.tw"])
)
mobiles = st.text(string.digits, min_size=8, max_size=8).map("09{}".format)


@st.composite
def landlines(draw: st.DrawFn) -> str:
    """Landlines in the form the lib gives them back: `02-12345678`, `037-123456#12`."""
    area_code = draw(st.sampled_from(sorted(SUBSCRIBER_DIGITS)))
    length = draw(st.sampled_from(sorted(SUBSCRIBER_DIGITS[area_code])))
    first = draw(st.sampled_from("123456789"))
    number = first + draw(st.text(string.digits, min_size=length - 1, max_size=length - 1))
    # A number that starts like a longer area code (03-7…) is that area's: not this form.
    longer = [code for code in SUBSCRIBER_DIGITS if len(code) > len(area_code)]
    assume(not any((area_code + number).startswith(code) for code in longer))
    extension = draw(st.text(string.digits, max_size=6))
    return f"{area_code}-{number}" + (f"#{extension}" if extension else "")


valid_rows = st.lists(
    st.tuples(national_ids, emails, mobiles, st.one_of(st.just(""), landlines())),
    max_size=30,
    unique_by=lambda row: row[0],
).filter(bool)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=valid_rows,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp950", "big5hkscs"]),
    newline=st.sampled_from(["\r\n", "\n"]),
    quote_all=st.booleans(),
    blank_after=st.sets(st.integers(0, 30)),
    trailing_columns=st.integers(0, 3),
)
def test_valid_rows_come_back_exactly_in_any_encoding(
    rows: list[tuple[str, str, str, str]],
    encoding: str,
    newline: str,
    quote_all: bool,
    blank_after: set[int],
    trailing_columns: int,
) -> None:
    records: list[list[str]] = []
    numbers = []
    for index, row in enumerate(rows):
        records.append([*row, *[""] * trailing_columns])
        numbers.append(len(records))
        if index in blank_after:
            records.append([])  # a blank row keeps its place in the numbering
    data = csv_bytes(records, encoding, newline=newline, quote_all=quote_all)
    results = list(validate_rows(read_upload(data, CSV_NAME)))
    assert all(result.ok for result in results)
    assert [result.number for result in results] == numbers
    assert [(r.national_id, r.email, r.mobile, r.landline) for r in results] == rows
    if not blank_after:
        assert numbers == list(range(1, len(rows) + 1))


@settings(max_examples=20, deadline=None)
@given(rows=valid_rows)
def test_valid_rows_come_back_exactly_from_a_workbook(
    rows: list[tuple[str, str, str, str]],
) -> None:
    results = list(validate_rows(read_upload(xlsx_bytes(rows), XLSX_NAME)))
    assert all(result.ok for result in results)
    assert [result.number for result in results] == list(range(1, len(rows) + 1))
    assert [(r.national_id, r.email, r.mobile, r.landline) for r in results] == rows


@given(st.lists(st.lists(st.text(), max_size=6), max_size=10))
def test_any_text_file_is_read_or_refused_clearly(records: list[list[str]]) -> None:
    data = csv_bytes(records, header=["h"])
    try:
        upload = read_upload(data, CSV_NAME)
    except UploadRefused as refused:
        assert refused.problem in set(FileProblem)
        return
    assert all(isinstance(row, SourceRow) and row.cells for row in upload.rows)
    assert list(validate_rows(upload))  # every row gets a result, and nothing raises


@given(st.binary(max_size=400), st.sampled_from([CSV_NAME, XLSX_NAME]))
def test_any_bytes_are_read_or_refused_never_an_error(data: bytes, name: str) -> None:
    try:
        upload = read_upload(data, name)
    except UploadRefused:
        return
    list(validate_rows(upload))


WORKBOOK = xlsx_bytes([ROW, ROW])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(0, 255)), max_size=8))
def test_a_damaged_workbook_is_read_or_refused_never_an_error(
    changes: list[tuple[int, int]],
) -> None:
    data = bytearray(WORKBOOK)
    for position, value in changes:
        data[position] = value
    try:
        upload = read_upload(bytes(data), XLSX_NAME)
    except UploadRefused:
        return
    list(validate_rows(upload))


# Hostile and unusual workbooks: read as a stream, bounded whatever the XML holds --------------


@pytest.mark.parametrize("cells_per_row", [0, 16])
def test_a_zip_bomb_of_empty_cells_is_refused_at_once(cells_per_row: int) -> None:
    bomb = bombs.empty_cell_bomb(190, cells_per_row=cells_per_row)
    assert len(bomb) < 1024 * 1024  # a few hundred KB unpacking to 190 MiB
    started = time.monotonic()
    assert refusal(bomb, XLSX_NAME).problem is FileProblem.TOO_MANY_EMPTY_CELLS
    assert time.monotonic() - started < 1


def test_a_value_past_the_sixteenth_column_is_refused() -> None:
    row = b'<row><c r="A2" t="inlineStr"><is><t>A123456789</t></is></c><c r="Q2"><v>1</v></c></row>'
    problem = refusal(bombs.workbook(row), XLSX_NAME)
    assert (problem.problem, problem.params) == (FileProblem.TOO_MANY_COLUMNS, {"limit": 16})


def test_formatted_empty_cells_and_skipped_columns_are_read_as_excel_shows_them() -> None:
    sheet = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>A123456789</t></is></c>'
        b'<c r="C2"><v>912345678</v></c><c r="D2" s="1"/><c r="Z2" s="1"/></row>'
        b'<row r="4" spans="1:4"><c r="B4" t="str"><f>LOWER("X")</f><v>x</v></c>'
        b'<c r="C4" t="b"><v>1</v></c><c r="D4" t="e"><v>#N/A</v></c></row>'
    )
    upload = read_upload(bombs.workbook(sheet), XLSX_NAME)
    assert cells(upload) == [(1, ("A123456789", "", "912345678")), (3, ("", "x", "TRUE", "#N/A"))]


def test_a_row_number_out_of_order_is_a_damaged_workbook() -> None:
    sheet = b'<row r="3"><c><v>1</v></c></row><row r="2"><c><v>1</v></c></row>'
    assert refusal(bombs.workbook(sheet), XLSX_NAME).problem is FileProblem.DAMAGED_XLSX


def test_a_doctype_is_refused_so_no_entity_expands() -> None:
    data = bombs.workbook(b"")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + content.split(b"?>", 1)[1]
            target.writestr(info, content)
    assert refusal(out.getvalue(), XLSX_NAME).problem is FileProblem.DAMAGED_XLSX


def test_shared_strings_without_their_phonetic_reading_and_custom_date_formats() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    moment = datetime(2016, 5, 30, 8, 30)  # noqa: DTZ001 - a cell's date has no zone
    sheet.append([ROW[0], ROW[1], date(2016, 5, 30), moment])
    sheet["C2"].number_format = "yyyy/mm/dd"
    sheet["D2"].number_format = '[$-404]e"年"m"月"d"日" hh:mm'
    sheet.append([ROW[0], "0.5", 0.25])
    sheet["C3"].number_format = "0.00%"
    out = io.BytesIO()
    workbook.save(out)
    upload = read_upload(out.getvalue(), XLSX_NAME)
    assert cells(upload) == [
        (1, (ROW[0], ROW[1], "2016-05-30", "2016-05-30 08:30:00")),
        (2, (ROW[0], "0.5", "0.25")),
    ]


def test_reading_stops_at_its_time_limit() -> None:
    data = bombs.employees_workbook(3000)
    with pytest.raises(UploadRefused) as raised:
        list(xlsx.xlsx_records(data, max_seconds=0))
    assert raised.value.problem is FileProblem.TOO_SLOW
    assert raised.value.params == {"limit": xlsx.MAX_SECONDS}
