"""Taiwan national IDs (身分證統一編號) and resident certificate numbers (統一證號).

- citizen:      letter + 1/2 + 8 digits
- resident_new: letter + 8/9 + 8 digits (issued since 2021)
- resident_old: letter + A-D + 8 digits (still valid on older certificates)

check_national_id() never corrects its input: a lower-case or full-width ID is reported, and the
caller says what to change (normalise_national_id() gives what the user probably meant).
"""

import enum
from typing import Literal

from cardreg.lib.text import has_full_width, to_half_width

IdKind = Literal["citizen", "resident_new", "resident_old"]

# The order is historical (I and O were assigned last), so it cannot be derived from the alphabet.
_LETTER_VALUES = {letter: 10 + i for i, letter in enumerate("ABCDEFGHJKLMNPQRSTUVXYWZIO")}
_DIGITS = frozenset("0123456789")
_LOWER_CASE = frozenset("abcdefghijklmnopqrstuvwxyz")
_SECOND_CHAR_KINDS: dict[str, IdKind] = {
    "1": "citizen",
    "2": "citizen",
    "8": "resident_new",
    "9": "resident_new",
    "A": "resident_old",
    "B": "resident_old",
    "C": "resident_old",
    "D": "resident_old",
}
# Weights of positions 2..9; the letter's two decimal digits weigh 1 and 9, the check digit 1.
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 1)

ID_LENGTH = 10


class IdProblem(enum.StrEnum):
    EMPTY = "empty"
    FULL_WIDTH = "full_width"
    SPACES = "spaces"
    LOWER_CASE = "lower_case"
    LENGTH = "length"
    FIRST_LETTER = "first_letter"
    SECOND_CHAR = "second_char"
    NOT_DIGITS = "not_digits"
    CHECKSUM = "checksum"


def check_national_id(value: str) -> IdProblem | None:
    """Why `value` is not a valid ID, or None if it is.

    Problems that normalise_national_id() fixes come first: the user can then be offered the fix
    instead of being told about a length or letter problem that the fix would also remove.
    """
    if not value.strip():
        return IdProblem.EMPTY
    if has_full_width(value):
        return IdProblem.FULL_WIDTH
    if any(char.isspace() for char in value):
        return IdProblem.SPACES
    if any(char in _LOWER_CASE for char in value[:2]):
        return IdProblem.LOWER_CASE
    if len(value) != ID_LENGTH:
        return IdProblem.LENGTH
    return _check_characters(value) or _check_sum(value)


def _check_characters(value: str) -> IdProblem | None:
    if value[0] not in _LETTER_VALUES:
        return IdProblem.FIRST_LETTER
    if value[1] not in _SECOND_CHAR_KINDS:
        return IdProblem.SECOND_CHAR
    if not all(char in _DIGITS for char in value[2:]):
        return IdProblem.NOT_DIGITS
    return None


def _check_sum(value: str) -> IdProblem | None:
    total = _weighted_sum(value[:9]) + int(value[9])
    return None if total % 10 == 0 else IdProblem.CHECKSUM


def _weighted_sum(prefix9: str) -> int:
    """Weighted sum of the first nine characters (already checked to be well formed)."""
    letter_value = _LETTER_VALUES[prefix9[0]]
    second = prefix9[1]
    # The old resident format has a letter here; its value's last digit stands in for a digit.
    digits = [_LETTER_VALUES[second] % 10 if second in _LETTER_VALUES else int(second)]
    digits += [int(char) for char in prefix9[2:]]
    total = letter_value // 10 + letter_value % 10 * 9
    return total + sum(weight * digit for weight, digit in zip(_WEIGHTS, digits, strict=True))


def is_valid_national_id(value: str) -> bool:
    return check_national_id(value) is None


def id_kind(value: str) -> IdKind:
    """Which kind of document a valid ID belongs to; ValueError for an invalid one."""
    if not is_valid_national_id(value):
        raise ValueError("not a valid national ID")  # the value itself stays out of logs
    return _SECOND_CHAR_KINDS[value[1]]


def normalise_national_id(value: str) -> str:
    """The value as the user probably meant it: half-width, upper case, without any whitespace."""
    return "".join(to_half_width(value).split()).upper()


def checksum_digit(prefix9: str) -> str:
    """The check digit that completes the first nine characters of an ID."""
    if check_national_id(prefix9 + "0") not in (None, IdProblem.CHECKSUM):
        raise ValueError("expected a letter, 1/2/8/9 or A-D, and seven digits")
    return str(-_weighted_sum(prefix9) % 10)


def make_national_id(letter: str, second: str, body7: str) -> str:
    """A valid ID from its parts, e.g. make_national_id("A", "1", "2345678") == "A123456789"."""
    if len(letter) != 1 or len(second) != 1 or len(body7) != 7:
        raise ValueError("expected one letter, one second character and seven digits")
    prefix9 = letter + second + body7
    return prefix9 + checksum_digit(prefix9)
