"""Every sentence about an uploaded batch file: the file as a whole, its name, each row's
problems, and the checks against the database. 繁體中文 source, English in the .po files.

The result log is in Chinese (the seed's format) and the API gives both languages, so a row's
reason is worded in each language once (``both``) and kept with the result.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cardreg.employers.batchfile import (
    ContentKind,
    EmailProblem,
    FileFormat,
    FileNameProblem,
    FileProblem,
    RowProblem,
    RowProblemCode,
    UploadRefused,
    expected_name,
    file_format,
)
from cardreg.employers.batchfile.columns import Column
from cardreg.employers.batchfile.problems import MIB
from cardreg.lib.national_id import IdProblem
from cardreg.lib.phones import PhoneProblem
from cardreg.problems import ID_PROBLEMS, PHONE_PROBLEMS


class Check(enum.StrEnum):
    """What the processing finds out from the database, per valid row."""

    NOT_INSURED = "not_insured"
    NO_CARD = "no_card"
    REGISTERED = "registered"
    PENDING = "pending"


CHECKS: dict[Check, Promise] = {
    Check.NOT_INSURED: _("非該單位在保保險對象"),
    Check.NO_CARD: _("查無此保險對象的健保卡資料"),
    Check.REGISTERED: _("已完成健保卡網路服務註冊"),
    Check.PENDING: _("已申請註冊，尚待本人認證(本人可至註冊網站使用「重寄認證信」)"),
}


class Failure(enum.StrEnum):
    """Why a batch failed as a whole (the rows before it keep their results)."""

    INTERRUPTED = "interrupted"


FAILURES: dict[Failure, Promise] = {
    Failure.INTERRUPTED: _(
        "處理過程多次中斷，已停止處理；已入檔的資料列仍有效。請稍後重新上傳未入檔的資料，"
        "或洽客服專線。"
    ),
}
SUCCESS_TEXT = _("註冊成功，已寄發認證信")
NOT_FILED = _("，不入檔!")

COLUMN_NAMES: dict[Column, Promise] = {
    Column.NATIONAL_ID: _("身分證號"),
    Column.EMAIL: _("電子郵件"),
    Column.MOBILE: _("行動電話"),
    Column.LANDLINE: _("聯絡電話"),
}
EMAIL_PROBLEMS: dict[EmailProblem, Promise] = {
    EmailProblem.EMPTY: _("未填電子郵件。"),
    EmailProblem.INVALID: _("電子郵件格式不正確，例如 name@example.com。"),
    EmailProblem.TOO_LONG: _("電子郵件最長254個字元。"),
}
ROW_PROBLEMS: dict[RowProblemCode, Promise] = {
    RowProblemCode.COLUMN_COUNT: _(
        "這一列有 %(found)s 欄，應為 %(expected)s 欄(身分證號、電子郵件、行動電話、聯絡電話)。"
        "儲存格內若有逗號，請刪除。"
    ),
    RowProblemCode.DUPLICATE: _("與第%(first_row)s筆資料的身分證號重複。"),
}
_COLUMN_PROBLEM = _("%(column)s:%(problem)s")

FILE_PROBLEMS: dict[FileProblem, Promise] = {
    FileProblem.EMPTY: _("檔案是空的。請確認選到的是存好資料的檔案。"),
    FileProblem.TOO_LARGE: _("檔案超過 %(limit_mib)s MB，請分成數個檔案上傳。"),
    FileProblem.TOO_LARGE_UNPACKED: _(
        "這個Excel檔解壓後超過 %(limit_mib)s MB，請另存為CSV後上傳。"
    ),
    FileProblem.TOO_MANY_ROWS: _("資料超過 %(limit)s 筆，請分成數個檔案上傳。"),
    FileProblem.HEADER_ONLY: _(
        "檔案只有標題列，沒有資料。第一列是標題，不會上傳；請從第二列起填寫員工資料。"
    ),
    FileProblem.WRONG_CONTENT: _(
        "檔案內容不是%(expected)s：%(kind)s。請在Excel中「另存新檔」，存為%(expected)s。"
    ),
    FileProblem.ENCODING: _(
        "從第 %(line)s 行起無法辨識文字編碼。請在Excel中另存為「CSV (逗號分隔)」或「CSV UTF-8」。"
    ),
    FileProblem.CSV_SYNTAX: _('第 %(line)s 行的引號(")沒有成對，請檢查該行。'),
    FileProblem.CELL_TOO_LONG: _(
        "第 %(line)s 行有一個儲存格超過 %(limit)s 個字元，請檢查該行（可能少了一個引號）。"
    ),
    FileProblem.DAMAGED_XLSX: _("這個Excel檔無法讀取(可能已損壞或有密碼保護)，請另存為CSV後上傳。"),
    FileProblem.TOO_MANY_COLUMNS: _(
        "這個Excel檔在第 %(limit)s 欄之後還有資料；批次檔只有4欄(身分證號、電子郵件、行動電話、"
        "聯絡電話)。請刪除多餘的欄，或另存為CSV後上傳。"
    ),
    FileProblem.TOO_MANY_EMPTY_CELLS: _(
        "這個Excel檔的空白儲存格遠多於資料，無法讀取。請只保留員工資料，或另存為CSV後上傳。"
    ),
    FileProblem.TOO_SLOW: _(
        "這個Excel檔無法在 %(limit)s 秒內讀完。請只保留員工資料，或另存為CSV後上傳。"
    ),
    FileProblem.NOT_BATCH_FORMAT: _(
        "檔案格式不符：大部分資料列有 %(found)s 欄，應為 %(expected)s 欄，並以逗號分隔"
        "(身分證號、電子郵件、行動電話、聯絡電話)。請在Excel中另存為「CSV (逗號分隔)」。"
    ),
}
CONTENT_KINDS: dict[ContentKind, Promise] = {
    ContentKind.TEXT: _("文字檔"),
    ContentKind.XLSX: _("Excel活頁簿"),
    ContentKind.ZIP: _("壓縮檔或其他Office文件"),
    ContentKind.OLE2: _("舊版Excel(.xls)、Word文件或加密的活頁簿"),
    ContentKind.PDF: _("PDF文件"),
    ContentKind.EXECUTABLE: _("執行檔"),
    ContentKind.IMAGE: _("圖片"),
    ContentKind.ARCHIVE: _("壓縮檔"),
    ContentKind.UTF16_TEXT: _("「Unicode文字」檔(以Tab分隔)"),
    ContentKind.BINARY: _("二進位檔"),
}
FORMATS: dict[FileFormat, Promise] = {
    FileFormat.CSV: _("CSV檔"),
    FileFormat.XLSX: _("Excel活頁簿(.xlsx)"),
}
FILE_NAMES: dict[FileNameProblem, Promise] = {
    FileNameProblem.EXTENSION: _("檔案須為CSV檔(副檔名.CSV)或Excel活頁簿(.xlsx)。"),
    FileNameProblem.MALFORMED: _("檔名格式不符。"),
    FileNameProblem.OTHER_UNIT: _("檔名中的投保單位代號不是本單位的。"),
    FileNameProblem.DATE: _("檔名中的申請日期不是正確的民國日期(民國年月日，共7碼)。"),
    FileNameProblem.NOT_TODAY: _("檔名中的申請日期須為今天。"),
}
_EXPECTED_NAME = _("檔名應為投保單位代號+申請日期(民國年月日)+.CSV，今天請用：%(name)s")


def file_name_message(problem: FileNameProblem, unit_code: str, today: date, name: str) -> str:
    """Why the name is refused, and the exact name to use."""
    expected = expected_name(unit_code, today, file_format(name) or FileFormat.CSV)
    return f"{FILE_NAMES[problem]}{_EXPECTED_NAME % {'name': expected}}"


def too_large_message() -> str:
    """The file is over CARDREG_BATCH_MAX_BYTES, with the limit."""
    limit_mib = settings.CARDREG_BATCH_MAX_BYTES // MIB
    return file_message(UploadRefused(FileProblem.TOO_LARGE, limit_mib=limit_mib))


def file_message(refused: UploadRefused) -> str:
    params: dict[str, object] = dict(refused.params)
    if isinstance(kind := params.get("kind"), ContentKind):
        params["kind"] = CONTENT_KINDS[kind]
    if isinstance(fmt := params.get("expected"), FileFormat):
        params["expected"] = FORMATS[fmt]
    return str(FILE_PROBLEMS[refused.problem]) % params


def problem_message(problem: RowProblem) -> str:
    """One problem of a row, in the active language, naming its column."""
    code, params = problem.code, dict(problem.params)
    if isinstance(code, RowProblemCode):
        return str(ROW_PROBLEMS[code]) % params
    sentence: str
    if isinstance(code, IdProblem) or problem.column is Column.NATIONAL_ID:
        return str(ID_PROBLEMS[IdProblem(code)])
    if isinstance(code, EmailProblem):
        return str(EMAIL_PROBLEMS[code])
    sentence = str(PHONE_PROBLEMS[PhoneProblem(code)]) % {
        "suggestion": params.get("suggestion", "")
    }
    column = problem.column
    if column is None:
        return sentence
    return str(_COLUMN_PROBLEM) % {"column": COLUMN_NAMES[column], "problem": sentence}


def row_message(problems: Iterable[RowProblem]) -> str:
    """A row's problems, one sentence each (Chinese runs them on; English needs a space)."""
    separator = "" if (translation.get_language() or "zh").startswith("zh") else " "
    return separator.join(problem_message(problem) for problem in problems)


def check_message(check: Check) -> str:
    return str(CHECKS[check])


def failure_message(failure: Failure) -> str:
    return str(FAILURES[failure])


def both(word: Callable[[], str]) -> tuple[str, str]:
    """``word()`` in 繁體中文 and in English."""
    with translation.override("zh-hant"):
        zh = word()
    with translation.override("en"):
        en = word()
    return zh, en
