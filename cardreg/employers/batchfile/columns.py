"""The batch file's columns, and how a cell is written so that no spreadsheet runs it."""

import enum


class Column(enum.StrEnum):
    """The columns of SPEC §2.4, in the order the file has them."""

    NATIONAL_ID = "national_id"  # 身分證號
    EMAIL = "email"  # 電子郵件
    MOBILE = "mobile"  # 行動電話
    LANDLINE = "landline"  # 聯絡電話 (optional)


COLUMNS = tuple(Column)
# The seed's titles. The clerk's own header row is never read; these head the result CSV.
COLUMN_TITLES = {
    Column.NATIONAL_ID: "身分證號",
    Column.EMAIL: "電子郵件",
    Column.MOBILE: "行動電話",
    Column.LANDLINE: "聯絡電話",
}
# The two columns the result CSV adds; a file whose header has them after the four columns is a
# result CSV uploaded again, and the reader drops those two columns from every row.
RESULT_TITLE, REASON_TITLE = "結果", "原因"
SUCCESS, FAILURE = "成功", "失敗"

# OWASP "CSV injection": Excel, LibreOffice and Google Sheets run a cell starting with one of these.
# A vertical tab is skipped like the tab before a formula, and Excel with a Chinese or Japanese
# input method takes the full-width ＝＋－＠ (U+FF1D U+FF0B U+FF0D U+FF20) for the ASCII ones.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x0b", "＝", "＋", "－", "＠")
_QUOTE = "'"


def protect_cell(text: str) -> str:
    """The cell as written to a CSV a spreadsheet will open: `=1+1` becomes the text `'=1+1`.

    A value that already starts with quotes before a trigger gets one more, so that
    unprotect_cell() gives back exactly the original.
    """
    return _QUOTE + text if text.lstrip(_QUOTE).startswith(FORMULA_TRIGGERS) else text


def unprotect_cell(text: str) -> str:
    """The inverse of protect_cell(), for a result CSV that comes back fixed."""
    escaped = text.startswith(_QUOTE) and text.lstrip(_QUOTE).startswith(FORMULA_TRIGGERS)
    return text[1:] if escaped else text
