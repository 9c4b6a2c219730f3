"""E-mail addresses in a batch file, checked as the individual form checks them, without Django.

The individual form half-widths and strips the address, then runs Django's validate_email and a
254-character limit. This is the same check (its regular expressions are Django 5.2's, and a
test compares the two), less two things no employee gives as a mail address: an IP literal
(`a@[10.0.0.1]`) and `localhost`.
"""

import enum
import functools
import re

from cardreg.lib.text import to_half_width

MAX_LENGTH = 254  # the accounts' EmailField


class EmailProblem(enum.StrEnum):
    EMPTY = "empty"
    INVALID = "invalid"
    TOO_LONG = "too_long"


_USER = re.compile(
    r"(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*"  # dot-atom
    r'|"(?:[\001-\010\013\014\016-\037!#-\[\]-\177]|\\[\001-\011\013\014\016-\177])*")',  # quoted
    re.IGNORECASE,
)
_UL = "\u00a1-\uffff"  # Django's "Unicode letters"
_DOMAIN = re.compile(
    rf"[a-z{_UL}0-9](?:[a-z{_UL}0-9-]{{0,61}}[a-z{_UL}0-9])?"  # first label
    rf"(?:\.(?!-)[a-z{_UL}0-9-]{{1,63}}(?<!-))*"  # more labels
    rf"\.(?!-)(?:[a-z{_UL}-]{{2,63}}|xn--[a-z0-9]{{1,59}})(?<!-)",  # top-level domain
    re.IGNORECASE,
)


def normalise_email(text: str) -> str:
    """As the individual form takes it: half-width, stripped."""
    return (text if text.isascii() else to_half_width(text)).strip()


def check_email(address: str) -> EmailProblem | None:
    """Why a normalised address is not valid, or None if it is."""
    if not address:
        return EmailProblem.EMPTY
    if len(address) > MAX_LENGTH:
        return EmailProblem.TOO_LONG
    user, at, domain = address.rpartition("@")
    if not at or not _USER.fullmatch(user) or not _is_valid_domain(domain):
        return EmailProblem.INVALID
    return None


@functools.lru_cache(maxsize=1024)
def _is_valid_domain(domain: str) -> bool:
    """Cached: most of a unit's staff share its one or two domains, and this is the slow part."""
    return _DOMAIN.fullmatch(domain) is not None
