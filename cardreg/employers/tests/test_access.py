"""Who may act for which unit: unit_rights, units_for and get_unit_for_user, case by case."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import Http404

from cardreg.accounts.models import Account, AccountStatus
from cardreg.employers.access import (
    ADMINISTRATOR,
    NO_RIGHTS,
    MissingRight,
    Right,
    Rights,
    UnitAccess,
    get_unit_for_user,
    unit_rights,
    units_for,
)
from cardreg.employers.models import InsuranceUnit, Role, RoleGrant
from cardreg.employers.tests.conftest import ADMIN_ID, OTHER_ID, make_account, make_grant

UPLOADER = "C100000012"
QUERIER = "D100000022"
BOTH = "E100000032"
OTHER_CLERK = "F100000042"
REVOKED = "G100000052"
NOBODY = "H100000062"

UPLOAD_ONLY = Rights(can_upload=True)
QUERY_ONLY = Rights(can_query=True)
CLERK_BOTH = Rights(can_upload=True, can_query=True)


@pytest.fixture
def people(unit: InsuranceUnit, other_unit: InsuranceUnit) -> None:
    """The cast of every case: rights in `unit` (133397421) unless the name says otherwise."""
    make_grant(unit, UPLOADER, can_upload=True, can_query=False)
    make_grant(unit, QUERIER, can_upload=False, can_query=True)
    make_grant(unit, BOTH, can_upload=True, can_query=False)
    make_grant(unit, BOTH, can_upload=False, can_query=True)
    make_grant(other_unit, OTHER_CLERK, can_upload=True, can_query=True)
    make_grant(unit, REVOKED, can_upload=True, can_query=True).delete()


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("national_id", "expected"),
    [
        (ADMIN_ID, ADMINISTRATOR),
        (UPLOADER, UPLOAD_ONLY),
        (QUERIER, QUERY_ONLY),
        (BOTH, CLERK_BOTH),
        (OTHER_CLERK, NO_RIGHTS),
        (OTHER_ID, NO_RIGHTS),  # the other unit's administrator
        (REVOKED, NO_RIGHTS),
        (NOBODY, NO_RIGHTS),
    ],
)
def test_unit_rights(unit: InsuranceUnit, national_id: str, expected: Rights) -> None:
    assert unit_rights(national_id, unit) == expected


def test_an_administrator_holds_every_right_also_as_a_clerk(unit: InsuranceUnit) -> None:
    make_grant(unit, ADMIN_ID, can_upload=False, can_query=True)
    assert unit_rights(ADMIN_ID, unit) == ADMINISTRATOR


def test_a_role_without_rights_gives_no_access(unit: InsuranceUnit) -> None:
    make_grant(unit, UPLOADER, can_upload=False, can_query=False)
    assert unit_rights(UPLOADER, unit) == NO_RIGHTS
    assert not unit_rights(UPLOADER, unit)
    assert units_for(UPLOADER) == []


def test_revoking_a_grant_counts_from_the_next_call(unit: InsuranceUnit) -> None:
    grant = make_grant(unit, UPLOADER, can_upload=True, can_query=False)
    assert unit_rights(UPLOADER, unit) == UPLOAD_ONLY
    grant.delete()
    assert unit_rights(UPLOADER, unit) == NO_RIGHTS


def test_changing_a_role_counts_from_the_next_call(unit: InsuranceUnit) -> None:
    role = make_grant(unit, UPLOADER, can_upload=True, can_query=False).role
    Role.objects.filter(pk=role.pk).update(can_upload=False, can_query=True)
    assert unit_rights(UPLOADER, unit) == QUERY_ONLY


@pytest.mark.usefixtures("people")
def test_units_for_lists_every_unit_with_its_rights_by_code(
    unit: InsuranceUnit, other_unit: InsuranceUnit
) -> None:
    make_grant(other_unit, ADMIN_ID, can_upload=False, can_query=True)
    assert units_for(ADMIN_ID) == [
        UnitAccess(other_unit, QUERY_ONLY),  # 120000000 comes before 133397421
        UnitAccess(unit, ADMINISTRATOR),
    ]
    assert units_for(UPLOADER) == [UnitAccess(unit, UPLOAD_ONLY)]
    assert units_for(OTHER_CLERK) == [UnitAccess(other_unit, CLERK_BOTH)]
    assert units_for(REVOKED) == []
    assert units_for(NOBODY) == []


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("national_id", "need", "expected"),
    [
        (ADMIN_ID, None, ADMINISTRATOR),
        (ADMIN_ID, "upload", ADMINISTRATOR),
        (ADMIN_ID, "query", ADMINISTRATOR),
        (ADMIN_ID, "administer", ADMINISTRATOR),
        (UPLOADER, None, UPLOAD_ONLY),
        (UPLOADER, "upload", UPLOAD_ONLY),
        (UPLOADER, "query", MissingRight),
        (UPLOADER, "administer", MissingRight),
        (QUERIER, "query", QUERY_ONLY),
        (QUERIER, "upload", MissingRight),
        (QUERIER, "administer", MissingRight),
        (BOTH, "upload", CLERK_BOTH),
        (BOTH, "query", CLERK_BOTH),
        (BOTH, "administer", MissingRight),
        (OTHER_CLERK, None, Http404),
        (OTHER_CLERK, "upload", Http404),
        (OTHER_ID, None, Http404),
        (REVOKED, None, Http404),
        (NOBODY, None, Http404),
        (NOBODY, "query", Http404),
    ],
)
def test_get_unit_for_user(
    unit: InsuranceUnit,
    national_id: str,
    need: Right | None,
    expected: Rights | type[Exception],
) -> None:
    user = make_account(national_id)
    if isinstance(expected, Rights):
        assert get_unit_for_user(user, unit.code, need=need) == UnitAccess(unit, expected)
    else:
        with pytest.raises(expected):
            get_unit_for_user(user, unit.code, need=need)


def test_missing_right_names_the_right(unit: InsuranceUnit) -> None:
    make_grant(unit, QUERIER, can_upload=False, can_query=True)
    with pytest.raises(MissingRight) as caught:
        get_unit_for_user(make_account(QUERIER), unit.code, need="upload")
    assert caught.value.right == "upload"


@pytest.mark.usefixtures("unit")
@pytest.mark.parametrize("code", ["999999999", "", "13339742"])
def test_an_unknown_unit_is_not_found(code: str) -> None:
    with pytest.raises(Http404):
        get_unit_for_user(make_account(ADMIN_ID), code)


def test_a_pending_account_acts_for_no_unit(unit: InsuranceUnit) -> None:
    with pytest.raises(Http404):
        get_unit_for_user(make_account(ADMIN_ID, AccountStatus.PENDING), unit.code)


def test_a_revoked_clerk_is_refused_on_his_next_request(
    unit: InsuranceUnit, account: Callable[..., Account]
) -> None:
    clerk = account(UPLOADER)
    make_grant(unit, UPLOADER, can_upload=True, can_query=False)
    assert get_unit_for_user(clerk, unit.code, need="upload").rights == UPLOAD_ONLY
    RoleGrant.objects.filter(national_id=UPLOADER).delete()
    with pytest.raises(Http404):
        get_unit_for_user(clerk, unit.code, need="upload")
