"""The result CSV: the clerk's rows with 結果 and 原因, inert in a spreadsheet, to upload again."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cardreg.employers.batchfile import (
    FORMULA_TRIGGERS,
    RowProblem,
    SourceRow,
    protect_cell,
    read_upload,
    unprotect_cell,
    validate_rows,
    write_result_csv,
)

NAME = "1200000001050530.CSV"
ROW = ("A123456789", "wang@example.com.tw", "0912345678", "02-12345678#1234")


def describe(problem: RowProblem) -> str:
    return f"{problem.column}:{problem.code}"


def parsed(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8 only with a BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_adds_result_and_reason_to_the_clerks_rows() -> None:
    upload = read_upload(
        "身分證號,電子郵件,行動電話,聯絡電話\r\n"
        f"{','.join(ROW)}\r\n"
        "\r\n"
        "A123456788,wang,912345678\r\n".encode("cp950"),
        NAME,
    )
    results = {r.number: r.problems for r in validate_rows(upload)}
    data = write_result_csv(upload.rows, results, describe)
    assert data.count(b"\r\n") == 3  # CRLF line ends
    assert parsed(data) == [
        ["身分證號", "電子郵件", "行動電話", "聯絡電話", "結果", "原因"],
        [*ROW, "成功", ""],
        [
            "A123456788",
            "wang",
            "912345678",
            "",
            "失敗",
            "national_id:checksum email:invalid mobile:leading_zero_dropped",
        ],
    ]


def test_cells_a_spreadsheet_would_run_are_written_as_text() -> None:
    formulas = ("=cmd|' /C calc'!A0", "+886912345678", "-1+1", "@SUM(A1)")
    rows = [SourceRow(1, formulas), SourceRow(2, ("\tA", "\r=1", "'=x", "ok"))]
    data = write_result_csv(rows, {1: [], 2: ["=reason"]}, str)
    assert parsed(data)[1:] == [
        ["'=cmd|' /C calc'!A0", "'+886912345678", "'-1+1", "'@SUM(A1)", "成功", ""],
        ["'\tA", "'\r=1", "''=x", "ok", "失敗", "'=reason"],
    ]


def test_vertical_tab_and_full_width_formula_signs_are_written_as_text() -> None:
    cells = ("\x0b=1+1", "＝cmd|' /C calc'!A0", "＋886912345678", "－1+1")
    rows = [SourceRow(1, cells), SourceRow(2, ("＠SUM(A1)", "'＝x", "ok", "ok"))]
    data = write_result_csv(rows, {1: [], 2: []}, str)
    assert parsed(data)[1:] == [
        ["'\x0b=1+1", "'＝cmd|' /C calc'!A0", "'＋886912345678", "'－1+1", "成功", ""],
        ["'＠SUM(A1)", "''＝x", "ok", "ok", "成功", ""],
    ]
    assert [row.cells for row in read_upload(data, NAME).rows] == [cells, rows[1].cells]


def test_extra_cells_follow_the_reason_and_come_back_when_uploaded_again() -> None:
    rows = [SourceRow(1, (*ROW, "王小明")), SourceRow(2, ROW)]
    data = write_result_csv(rows, {1: ["too many columns"], 2: []}, str)
    assert parsed(data)[1] == [*ROW, "失敗", "too many columns", "王小明"]
    assert [row.cells for row in read_upload(data, NAME).rows] == [(*ROW, "王小明"), ROW]


def test_every_row_needs_a_result() -> None:
    with pytest.raises(ValueError, match="row 2"):
        write_result_csv([SourceRow(1, ROW), SourceRow(2, ROW)], {1: []}, str)


@given(st.text())
def test_protected_cells_never_start_a_formula_and_unprotect_exactly(text: str) -> None:
    protected = protect_cell(text)
    assert not protected.startswith(FORMULA_TRIGGERS)
    assert unprotect_cell(protected) == text


cell_text = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]))


@st.composite
def clerk_rows(draw: st.DrawFn) -> list[tuple[str, ...]]:
    """Rows as read_upload gives them: four cells, the last one not blank."""
    rows = draw(st.lists(st.tuples(cell_text, cell_text, cell_text, cell_text), min_size=1))
    return [(*row[:3], row[3] if row[3].strip() else row[3] + "x") for row in rows]


@given(clerk_rows(), st.data())
def test_a_result_csv_uploaded_again_gives_back_the_clerks_cells(
    rows: list[tuple[str, ...]], data: st.DataObject
) -> None:
    source = [SourceRow(number, row) for number, row in enumerate(rows, start=1)]
    reasons = {row.number: data.draw(st.lists(cell_text, max_size=2)) for row in source}
    written = write_result_csv(source, reasons, str)
    for line in parsed(written):
        assert not any(cell.startswith(FORMULA_TRIGGERS) for cell in line)
    again = read_upload(written, NAME)
    assert [row.cells for row in again.rows] == rows
    assert [row.number for row in again.rows] == list(range(1, len(rows) + 1))
