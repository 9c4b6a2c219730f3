"""The registration-password policy and strength meter (the browser's meter uses the same rules).

Strength levels, as the seed's meter shows them (password-meter.js mirrors ``strength``):
  強   upper case, lower case, digit and special character, and 8 or more characters;
  中強 three of those four kinds and 8 or more characters, or all four kinds;
  中   two of the kinds;
  弱   anything else.
Length limits are settings (SPEC §3: at least 6; up to 64, since a 12-character maximum only
weakens passwords). A weak password is allowed, as in the seed; a refused one says why.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator

from cardreg.lib.roc_date import format_roc_compact

SPECIAL = re.compile(r"[^A-Za-z0-9]")


class Strength(enum.IntEnum):
    WEAK = 0
    MEDIUM = 1
    MEDIUM_STRONG = 2
    STRONG = 3


def strength(password: str) -> Strength:
    kinds = sum(
        (
            bool(re.search(r"[A-Z]", password)),
            bool(re.search(r"[a-z]", password)),
            bool(re.search(r"[0-9]", password)),
            bool(SPECIAL.search(password)),
        )
    )
    long_enough = len(password) >= 8
    if kinds == 4 and long_enough:
        return Strength.STRONG
    if (kinds >= 3 and long_enough) or kinds == 4:
        return Strength.MEDIUM_STRONG
    if kinds >= 2:
        return Strength.MEDIUM
    return Strength.WEAK


class PasswordProblem(enum.StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    MISMATCH = "mismatch"
    COMMON = "common"
    CONTAINS_ID = "contains_id"
    CONTAINS_BIRTH_DATE = "contains_birth_date"
    CONTAINS_CARD_NUMBER = "contains_card_number"
    WHITESPACE_ENDS = "whitespace_ends"


@dataclass(frozen=True)
class PersonalData:
    national_id: str
    birth_date: dt.date
    card_numbers: tuple[str, ...]


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(CommonPasswordValidator().passwords)


def _birth_date_forms(birth: dt.date) -> set[str]:
    roc = format_roc_compact(birth)  # 0790101
    return {birth.strftime("%Y%m%d"), roc, roc.lstrip("0"), birth.strftime("%Y-%m-%d")}


def check_password(password: str, confirm: str, person: PersonalData) -> PasswordProblem | None:
    """The first reason to refuse ``password``, or None if it may be used."""
    if len(password) < settings.CARDREG_PASSWORD_MIN_LENGTH:
        return PasswordProblem.TOO_SHORT
    if len(password) > settings.CARDREG_PASSWORD_MAX_LENGTH:
        return PasswordProblem.TOO_LONG
    if password != password.strip():
        return PasswordProblem.WHITESPACE_ENDS
    if password != confirm:
        return PasswordProblem.MISMATCH
    lowered = password.lower()
    if lowered in _common_passwords():
        return PasswordProblem.COMMON
    national_id = person.national_id.lower()
    if national_id in lowered or national_id[1:] in lowered:
        return PasswordProblem.CONTAINS_ID
    if any(form in lowered for form in _birth_date_forms(person.birth_date)):
        return PasswordProblem.CONTAINS_BIRTH_DATE
    for number in person.card_numbers:
        if number in lowered or (len(number.lstrip("0")) >= 6 and number.lstrip("0") in lowered):
            return PasswordProblem.CONTAINS_CARD_NUMBER
    return None
