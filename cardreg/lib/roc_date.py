"""ROC (民國) dates, used only at the edges: forms, uploaded files, printed letters.

Year 1 of the Republic of China is 1912, so ROC year = AD year - 1911. Years are limited to
1..999 (AD 1912-2910): the compact form has three year digits, and a four-digit year is far more
likely to be an AD year typed by mistake (20160713, 2016/07/13) than a date after 2910.

Full-width digits and separators (`１０５／０７／１３`) are converted before parsing rather than
reported: they are what a Chinese input method types, and they leave no doubt about the date.
"""

import datetime
import enum
import re

from cardreg.lib.text import to_half_width

ROC_OFFSET = 1911
MAX_ROC_YEAR = 999

_PATTERNS = (
    # 0790101, 1050713; an eighth digit is allowed so that 20160713 reaches the AD-year check.
    # Also 民國1050901: the seed's own hint (「請輸入民國1050901」) reads as if the 民國 is typed.
    re.compile(r"(?:(?:中華)?民國)?\s*(?P<year>[0-9]{3,4})(?P<month>[0-9]{2})(?P<day>[0-9]{2})"),
    # 105/07/13, 79/1/1; also 105-07-13 and 105.07.13, which people write just as often.
    re.compile(
        r"(?P<year>[0-9]{1,4})\s*(?P<sep>[/.-])\s*(?P<month>[0-9]{1,2})"
        r"\s*(?P=sep)\s*(?P<day>[0-9]{1,2})"
    ),
    # 民國105年9月1日, 中華民國105年09月01日, 105年9月1日
    re.compile(
        r"(?:(?:中華)?民國)?\s*(?P<year>[0-9]{1,4})\s*年\s*(?P<month>[0-9]{1,2})\s*月"
        r"\s*(?P<day>[0-9]{1,2})\s*日"
    ),
)


class RocDateProblem(enum.StrEnum):
    EMPTY = "empty"
    FORMAT = "format"
    INVALID_DATE = "invalid_date"
    BEFORE_ROC = "before_roc"
    AD_YEAR = "ad_year"


class RocDateError(ValueError):
    def __init__(self, problem: RocDateProblem) -> None:
        super().__init__(f"bad ROC date: {problem}")
        self.problem = problem


def parse_roc_date(text: str) -> datetime.date:
    """A date from `1050713`, `民國1050713`, `105/07/13`, `79/1/1` or `民國105年9月1日`;
    RocDateError otherwise."""
    cleaned = to_half_width(text).strip()
    if not cleaned:
        raise RocDateError(RocDateProblem.EMPTY)
    roc_year, month, day = _split(cleaned)
    if roc_year > MAX_ROC_YEAR:
        raise RocDateError(RocDateProblem.AD_YEAR)
    ad_year = from_roc_year(roc_year)
    try:
        return datetime.date(ad_year, month, day)
    except ValueError:
        raise RocDateError(RocDateProblem.INVALID_DATE) from None


def _split(text: str) -> tuple[int, int, int]:
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return int(match["year"]), int(match["month"]), int(match["day"])
    raise RocDateError(RocDateProblem.FORMAT)


def to_roc_year(ad_year: int) -> int:
    if ad_year <= ROC_OFFSET:
        raise RocDateError(RocDateProblem.BEFORE_ROC)
    return ad_year - ROC_OFFSET


def from_roc_year(roc_year: int) -> int:
    if roc_year < 1:
        raise RocDateError(RocDateProblem.BEFORE_ROC)
    return roc_year + ROC_OFFSET


def _roc_year_of(date: datetime.date) -> int:
    roc_year = to_roc_year(date.year)
    if roc_year > MAX_ROC_YEAR:
        raise ValueError("ROC years after 999 do not fit the three-digit formats")
    return roc_year


def format_roc_compact(date: datetime.date) -> str:
    """`1050713`: the form used in files and on the card."""
    return f"{_roc_year_of(date):03d}{date.month:02d}{date.day:02d}"


def format_roc_slash(date: datetime.date) -> str:
    """`105/07/13`: the form shown on screen; the year is padded like the compact form."""
    return f"{_roc_year_of(date):03d}/{date.month:02d}/{date.day:02d}"


def format_roc_text(date: datetime.date) -> str:
    """`民國105年07月13日`: the form used in letters (the year is not zero-padded: 民國79年)."""
    return f"民國{_roc_year_of(date)}年{date.month:02d}月{date.day:02d}日"
