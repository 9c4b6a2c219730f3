"""Short ways through the lib's checks for the values that are already in their normal form.

The lib's checks explain every problem, at ~9 µs an ID and ~10 µs a landline; a 100,000-row file
must be checked in well under a second. A value in its normal form (most of them) is accepted
here with a regular expression or a few lookups; for anything else these say False, and the
value takes the lib's full path. Property tests check that the short way never disagrees.
"""

import itertools
import re

from cardreg.lib.national_id import checksum_digit
from cardreg.lib.phones import SUBSCRIBER_DIGITS

_ID_LENGTH = 10
# SPEC §5: the ID's check sums the letter (weights 1 and 9), the 2nd character (8), the digits 3–9
# (7…1) and the check digit (1), mod 10. The first two characters' share comes from the lib.
_HEAD_SHARE = {
    first + second: -int(checksum_digit(first + second + "0000000")) % 10
    for first, second in itertools.product("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "1289ABCD")
}


def _digit_shares(weights: tuple[int, ...]) -> dict[str, int]:
    return {
        "".join(digits): sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 10
        for digits in itertools.product("0123456789", repeat=len(weights))
    }


_MIDDLE_SHARE = _digit_shares((7, 6, 5, 4))  # characters 3–6
_TAIL_SHARE = _digit_shares((3, 2, 1, 1))  # characters 7–10, the check digit last


def is_plain_valid_id(value: str) -> bool:
    """True exactly for the IDs check_national_id() accepts (the tables hold only well-formed
    parts, so a missing key is a malformed ID)."""
    if len(value) != _ID_LENGTH:
        return False
    try:
        share = _HEAD_SHARE[value[:2]] + _MIDDLE_SHARE[value[2:6]] + _TAIL_SHARE[value[6:]]
    except KeyError:
        return False
    return share % 10 == 0


_PLAIN_MOBILE = re.compile(r"09[0-9]{8}")


def is_plain_mobile(text: str) -> bool:
    """True only for a mobile in the form parse_mobile() gives back."""
    return _PLAIN_MOBILE.fullmatch(text) is not None


_PLAIN_LANDLINE = re.compile(r"(0[1-8][0-9]{0,2})-([1-9][0-9]{4,7})(?:#[0-9]{1,6})?")
# The lib reads the longest area code the digits start with: 03-7123456 is 037-123456. For each
# area code, the starts of a number that would make a longer one ("7" after 03).
_LONGER_CODE_STARTS = {
    code: tuple(
        longer[len(code) :]
        for longer in SUBSCRIBER_DIGITS
        if longer.startswith(code) and longer != code
    )
    for code in SUBSCRIBER_DIGITS
}


def is_plain_landline(text: str) -> bool:
    """True only for a landline in the form str(parse_landline()) gives back (02-12345678#12)."""
    match = _PLAIN_LANDLINE.fullmatch(text)
    if match is None:
        return False
    area_code, number = match.groups()
    lengths = SUBSCRIBER_DIGITS.get(area_code)
    if lengths is None or len(number) not in lengths:
        return False
    return not number.startswith(_LONGER_CODE_STARTS[area_code])
