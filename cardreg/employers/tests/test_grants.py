"""Granting a role to a clerk by national ID, and taking it back."""

from __future__ import annotations

import pytest

from cardreg.accounts.models import Account, AccountStatus
from cardreg.audit.models import AuditEvent
from cardreg.employers import actions
from cardreg.employers.access import NO_RIGHTS, Rights, unit_rights
from cardreg.employers.actions import Refusal, Refused
from cardreg.employers.messages import refusal_message
from cardreg.employers.models import InsuranceUnit, Role, RoleGrant
from cardreg.employers.tests.conftest import ADMIN_ID, CLERK_ID, make_account
from cardreg.lib.national_id import IdProblem


@pytest.fixture
def admin(unit: InsuranceUnit) -> Account:
    return make_account(ADMIN_ID)


@pytest.fixture
def role(unit: InsuranceUnit) -> Role:
    return Role.objects.create(unit=unit, name="人事承辦", can_upload=True)


def test_a_registered_clerk_is_granted_the_role(
    unit: InsuranceUnit, admin: Account, role: Role
) -> None:
    make_account(CLERK_ID)
    grant = actions.grant_role(role, CLERK_ID, by=admin)
    assert (grant.role, grant.national_id) == (role, CLERK_ID)
    assert unit_rights(CLERK_ID, unit) == Rights(can_upload=True)
    event = AuditEvent.objects.get(action="employers.role_granted")
    assert (event.actor, event.detail) == ("A12345****", {"role": role.pk, "clerk": "B12000****"})
    assert CLERK_ID not in str(event.detail)


@pytest.mark.parametrize(
    ("national_id", "problem"),
    [
        ("B120000009", IdProblem.CHECKSUM),
        ("b120000008", IdProblem.LOWER_CASE),
        ("Ｂ120000008", IdProblem.FULL_WIDTH),
        ("B12000000", IdProblem.LENGTH),
        ("", IdProblem.EMPTY),
    ],
)
def test_an_invalid_id_is_refused_with_the_reason(
    admin: Account, role: Role, national_id: str, problem: IdProblem
) -> None:
    with pytest.raises(Refused) as caught:
        actions.grant_role(role, national_id, by=admin)
    assert (caught.value.refusal, caught.value.id_problem) == (Refusal.INVALID_ID, problem)
    assert "身分證號" in refusal_message(caught.value)
    assert not RoleGrant.objects.exists()


@pytest.mark.parametrize("status", [None, AccountStatus.PENDING])
def test_a_clerk_without_an_active_account_is_refused(
    admin: Account, role: Role, status: str | None
) -> None:
    if status is not None:
        make_account(CLERK_ID, status)
    with pytest.raises(Refused) as caught:
        actions.grant_role(role, CLERK_ID, by=admin)
    assert caught.value.refusal is Refusal.CLERK_NOT_REGISTERED
    assert "尚未完成健保卡網路服務註冊" in refusal_message(caught.value)
    assert not RoleGrant.objects.exists()


def test_a_role_is_granted_once(admin: Account, role: Role) -> None:
    make_account(CLERK_ID)
    actions.grant_role(role, CLERK_ID, by=admin)
    with pytest.raises(Refused) as caught:
        actions.grant_role(role, CLERK_ID, by=admin)
    assert caught.value.refusal is Refusal.ALREADY_GRANTED
    assert RoleGrant.objects.count() == 1
    assert AuditEvent.objects.filter(action="employers.role_granted").count() == 1


def test_revoking_takes_the_rights_away(unit: InsuranceUnit, admin: Account, role: Role) -> None:
    make_account(CLERK_ID)
    actions.grant_role(role, CLERK_ID, by=admin)
    actions.revoke_role(role, CLERK_ID, by=admin)
    assert unit_rights(CLERK_ID, unit) == NO_RIGHTS
    event = AuditEvent.objects.get(action="employers.role_revoked")
    assert event.detail == {"role": role.pk, "clerk": "B12000****", "tokens_revoked": 0}


def test_revoking_a_role_the_clerk_does_not_hold_is_refused(admin: Account, role: Role) -> None:
    with pytest.raises(Refused) as caught:
        actions.revoke_role(role, CLERK_ID, by=admin)
    assert caught.value.refusal is Refusal.NOT_GRANTED
    assert not AuditEvent.objects.exists()
