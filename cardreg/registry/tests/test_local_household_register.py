"""The local household register: the HouseholdMember table, compared field by field."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from cardreg.registry.household import Outcome, check_household
from cardreg.registry.models import HouseholdMember

QUERY: dict[str, Any] = {
    "national_id": "A123456789",
    "household_no": "F1234567",
    "county": "臺北市",
    "township": "中正區",
    "village": "黎明里",
    "neighbourhood": 3,
}


@pytest.fixture(autouse=True)
def member(settings: Any, db: None) -> HouseholdMember:
    settings.CARDREG_HOUSEHOLD_REGISTER = "local"
    return HouseholdMember.objects.create(**QUERY)


def test_the_registered_address_matches() -> None:
    result = check_household(**QUERY)
    assert result.match
    assert result.outcome == Outcome.MATCH


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("household_no", "F1234568"),
        ("county", "新北市"),
        ("township", "大安區"),
        ("village", "建國里"),
        ("neighbourhood", 4),
    ],
)
def test_any_wrong_field_is_a_mismatch_without_saying_which(name: str, value: object) -> None:
    result = check_household(**{**QUERY, name: value})
    assert not result.match
    assert result.outcome == Outcome.MISMATCH
    assert result.person_found is True


def test_a_person_not_in_the_register_is_a_mismatch_too() -> None:
    result = check_household(**{**QUERY, "national_id": "A800000014"})
    assert result.outcome == Outcome.MISMATCH
    assert result.person_found is False


@pytest.mark.parametrize(
    "typed", ["Ｆ１２３４５６７", "f1234567", " F1234567 ", "ｆ１２３４５６７　"]
)
def test_the_household_number_may_be_full_width_lower_case_or_padded(typed: str) -> None:
    assert check_household(**{**QUERY, "household_no": typed}).match


def test_a_lower_case_number_in_the_table_matches_too(member: HouseholdMember) -> None:
    member.household_no = "f1234567"
    member.save(update_fields=["household_no"])
    assert check_household(**QUERY).match


def test_a_nul_character_is_a_mismatch_not_a_database_error() -> None:
    assert not check_household(**{**QUERY, "national_id": "A12345678\x00"}).match


def test_an_unknown_register_kind_is_a_configuration_error(settings: Any) -> None:
    settings.CARDREG_HOUSEHOLD_REGISTER = "ldap"
    with pytest.raises(ImproperlyConfigured):
        check_household(**QUERY)
