"""Taiwan phone numbers: mobiles (09 + 8 digits) and landlines with an area code and extension.

Full-width digits and punctuation (`０９１２－３４５６７８`) are converted silently: an input
method types them, and the number is stored and shown back in its normal form anyway.

Separators (`-`, spaces, parentheses) may stand anywhere; only the digits count, as when
dialling. `+886 2 …`, `+886-912…` and `886912…` are the same numbers with the country code.
"""

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

from cardreg.lib.text import to_half_width

# Subscriber-number lengths by area code, from the NCC numbering plan: Taipei/Keelung 8;
# Taichung 8 but Changhua, which shares 04, 7; Miaoli 037, Taitung 089 and Kinmen 082 6;
# Wuqiu 0826 and Matsu 0836 5; every other area (03, 049, 05, 06, 07, 08) 7. With the area code
# a number is thus 9 or 10 digits. The plan is prefix-free (no 03 number starts with 7, no 04
# number with 9, no 08 number with 2, 3 or 9), so the longest matching area code is the right one.
SUBSCRIBER_DIGITS: dict[str, frozenset[int]] = {
    "02": frozenset({8}),
    "03": frozenset({7}),
    "037": frozenset({6}),
    "04": frozenset({7, 8}),
    "049": frozenset({7}),
    "05": frozenset({7}),
    "06": frozenset({7}),
    "07": frozenset({7}),
    "08": frozenset({7}),
    "082": frozenset({6}),
    "0826": frozenset({5}),
    "0836": frozenset({5}),
    "089": frozenset({6}),
}
MAX_EXTENSION_DIGITS = 6

_DIGITS = frozenset("0123456789")
_SEPARATORS = frozenset("-()")
_EXTENSION_MARK = re.compile(r"\s*(?:#|分機|轉|ext\.?)\s*", re.IGNORECASE)
_COUNTRY_CODE = "886"


class PhoneProblem(enum.StrEnum):
    EMPTY = "empty"
    BAD_CHARACTERS = "bad_characters"
    FOREIGN_NUMBER = "foreign_number"
    LEADING_ZERO_DROPPED = "leading_zero_dropped"
    NOT_MOBILE = "not_mobile"
    NOT_LANDLINE = "not_landline"
    MISSING_AREA_CODE = "missing_area_code"
    UNKNOWN_AREA_CODE = "unknown_area_code"
    LENGTH = "length"
    BAD_EXTENSION = "bad_extension"


class PhoneError(ValueError):
    """`suggestion` is the corrected number to offer, when there is one (a dropped leading 0)."""

    def __init__(self, problem: PhoneProblem, suggestion: str | None = None) -> None:
        super().__init__(f"bad phone number: {problem}")
        self.problem = problem
        self.suggestion = suggestion


@dataclass(frozen=True)
class Mobile:
    number: str  # ten digits, 09…

    def __str__(self) -> str:
        return self.number


@dataclass(frozen=True)
class Landline:
    area_code: str  # with its leading 0
    number: str
    extension: str = ""

    def __str__(self) -> str:
        text = f"{self.area_code}-{self.number}"
        return f"{text}#{self.extension}" if self.extension else text


def parse_mobile(text: str) -> Mobile:
    main, extension = _split_extension(text)
    mobile = _mobile_from_digits(_national_digits(main))
    if extension is not None:  # a landline in the mobile field is told NOT_MOBILE first
        raise PhoneError(PhoneProblem.BAD_EXTENSION)
    return mobile


def parse_landline(text: str) -> Landline:
    main, extension = _split_extension(text)
    digits = _national_digits(main)
    return _landline_from_digits(digits, _check_extension(extension))


def _split_extension(text: str) -> tuple[str, str | None]:
    parts = _EXTENSION_MARK.split(to_half_width(text).strip())
    if len(parts) > 2:
        raise PhoneError(PhoneProblem.BAD_EXTENSION)
    if not parts[0]:
        raise PhoneError(PhoneProblem.EMPTY)
    return parts[0], parts[1] if len(parts) == 2 else None


def _national_digits(main: str) -> str:
    """The digits as dialled inside Taiwan: a +886 / 886 country code becomes the leading 0."""
    international = main.startswith("+")
    body = main[1:] if international else main
    if not all(char in _DIGITS or char in _SEPARATORS or char.isspace() for char in body):
        raise PhoneError(PhoneProblem.BAD_CHARACTERS)
    digits = "".join(char for char in body if char in _DIGITS)
    if not digits:
        raise PhoneError(PhoneProblem.EMPTY)
    if international and not digits.startswith(_COUNTRY_CODE):
        raise PhoneError(PhoneProblem.FOREIGN_NUMBER)
    # Without "+", 886 is a country code only at the lengths it gives (886 + 8 or 9 digits);
    # a number dialled inside Taiwan starts with 0, so the two cannot be confused.
    if international or (digits.startswith(_COUNTRY_CODE) and len(digits) in (11, 12)):
        digits = digits.removeprefix(_COUNTRY_CODE)
        # Some people keep the trunk 0 after the country code (+886 0912…): accept both.
        return digits if digits.startswith("0") else "0" + digits
    return digits


def _mobile_from_digits(digits: str) -> Mobile:
    if not digits.startswith("0"):
        _raise_if_leading_zero_dropped(digits, _mobile_from_digits)
        raise PhoneError(PhoneProblem.NOT_MOBILE)
    if not digits.startswith("09"):
        raise PhoneError(PhoneProblem.NOT_MOBILE)
    if len(digits) != 10:
        raise PhoneError(PhoneProblem.LENGTH)
    return Mobile(digits)


def _landline_from_digits(digits: str, extension: str = "") -> Landline:
    if not digits.startswith("0"):
        _raise_if_leading_zero_dropped(
            digits, lambda fixed: _landline_from_digits(fixed, extension)
        )
        raise PhoneError(PhoneProblem.MISSING_AREA_CODE)
    if digits.startswith("09"):
        raise PhoneError(PhoneProblem.NOT_LANDLINE)
    area_code = _area_code(digits)
    number = digits[len(area_code) :]
    # A 0 after the area code means a service prefix, not a place: 0800, 070 (VoIP), 020x.
    if number.startswith("0"):
        raise PhoneError(PhoneProblem.UNKNOWN_AREA_CODE)
    if len(number) not in SUBSCRIBER_DIGITS[area_code]:
        raise PhoneError(PhoneProblem.LENGTH)
    return Landline(area_code, number, extension)


def _area_code(digits: str) -> str:
    for length in (4, 3, 2):
        if digits[:length] in SUBSCRIBER_DIGITS:
            return digits[:length]
    raise PhoneError(PhoneProblem.UNKNOWN_AREA_CODE)


def _raise_if_leading_zero_dropped(digits: str, parse: Callable[[str], Mobile | Landline]) -> None:
    """Excel stores phone numbers as numbers and so drops their leading 0: say so, with the fix."""
    try:
        fixed = parse("0" + digits)
    except PhoneError:
        return
    raise PhoneError(PhoneProblem.LEADING_ZERO_DROPPED, suggestion=str(fixed))


def _check_extension(extension: str | None) -> str:
    if extension is None:
        return ""
    too_long = len(extension) > MAX_EXTENSION_DIGITS
    if not extension or too_long or not all(char in _DIGITS for char in extension):
        raise PhoneError(PhoneProblem.BAD_EXTENSION)
    return extension
