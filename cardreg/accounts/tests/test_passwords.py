"""The strength meter's levels; the browser journey checks the script gives the same ones."""

from __future__ import annotations

import pytest

from cardreg.accounts.passwords import Strength, strength

# (password, level): shared with the browser test, which runs password-meter.js on each.
STRENGTH_CASES = [
    ("abcdef", Strength.WEAK),
    ("123456", Strength.WEAK),
    ("abc123", Strength.MEDIUM),
    ("ABCdef", Strength.MEDIUM),
    ("abcdef12", Strength.MEDIUM),
    ("Abcdef12", Strength.MEDIUM_STRONG),
    ("Ab1!xy", Strength.MEDIUM_STRONG),
    ("abc123!@#", Strength.MEDIUM_STRONG),
    ("Abc123!@", Strength.STRONG),
    ("Tw!2026strong", Strength.STRONG),
    ("密碼密碼12ab", Strength.MEDIUM_STRONG),
]


@pytest.mark.parametrize(("password", "level"), STRENGTH_CASES)
def test_strength_levels(password: str, level: Strength) -> None:
    assert strength(password) == level
