"""The upload's file name: 投保單位代號 + 申請日期 (ROC YYYMMDD) + `.CSV` (SPEC §2.4), or `.xlsx`.

The 申請日期 must be the day of the upload, i.e. today in Asia/Taipei, which the caller passes in.
The name then tells the truth about when the unit applied, as the upload history and the log's
name (`<unit><date>.<date><time>.log`) repeat it. A file prepared on Friday and sent on Monday is
refused with the exact name to use — a one-step fix — rather than filed under another day. An
older or a future date is never silently accepted.
"""

import enum
import re
from datetime import date

from cardreg.lib.roc_date import RocDateError, format_roc_compact, parse_roc_date


class FileFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class FileNameProblem(enum.StrEnum):
    EXTENSION = "extension"  # neither .CSV nor .xlsx (case does not matter)
    MALFORMED = "malformed"  # not this unit's code followed by a 7-digit date
    OTHER_UNIT = "other_unit"  # a code and a date, but the code is another unit's
    DATE = "date"  # this unit's code and digits, but the digits are not a ROC date (YYYMMDD)
    NOT_TODAY = "not_today"  # a real date, but not today's (the application date)


# How each format's extension is written in the name we ask for; any case is accepted.
_EXTENSIONS = {FileFormat.CSV: "CSV", FileFormat.XLSX: "xlsx"}
_ROC_DATE_DIGITS = 7
_ASCII_DIGITS = re.compile(r"[0-9]+")
_PATH_SEPARATORS = re.compile(r"[\\/]")


def file_format(name: str) -> FileFormat | None:
    """The format the name's extension announces, or None for any other extension."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    return next((fmt for fmt in FileFormat if fmt.value == extension), None)


def expected_name(unit_code: str, today: date, fmt: FileFormat = FileFormat.CSV) -> str:
    """The name the clerk must give the file today, e.g. `1200000001050530.CSV`."""
    return f"{unit_code}{format_roc_compact(today)}.{_EXTENSIONS[fmt]}"


def check_file_name(name: str, unit_code: str, today: date) -> FileNameProblem | None:
    """Why `name` is not the name SPEC §2.4 asks for, or None if it is."""
    # Old browsers send the whole client path (C:\fakepath\...): only the last part counts.
    base = _PATH_SEPARATORS.split(name)[-1]
    if file_format(base) is None:
        return FileNameProblem.EXTENSION
    stem = base.rpartition(".")[0]
    if not stem.startswith(unit_code):
        looks_like_a_name = _ASCII_DIGITS.fullmatch(stem) and len(stem) == len(unit_code) + 7
        return FileNameProblem.OTHER_UNIT if looks_like_a_name else FileNameProblem.MALFORMED
    digits = stem.removeprefix(unit_code)
    if not _ASCII_DIGITS.fullmatch(digits):  # e.g. " (1)" that Windows adds to a second copy
        return FileNameProblem.MALFORMED
    return _check_date(digits, today)


def _check_date(digits: str, today: date) -> FileNameProblem | None:
    if len(digits) != _ROC_DATE_DIGITS:
        return FileNameProblem.DATE
    try:
        applied = parse_roc_date(digits)
    except RocDateError:
        return FileNameProblem.DATE
    return None if applied == today else FileNameProblem.NOT_TODAY
