"""API tokens: issued to holders of the upload right, stored hashed, revoked with the right."""

from __future__ import annotations

import hashlib
import re

import pytest

from cardreg.accounts.models import Account
from cardreg.audit.models import AuditEvent
from cardreg.employers import actions
from cardreg.employers.access import authenticate_api_token
from cardreg.employers.actions import Refusal, Refused, RoleFields
from cardreg.employers.models import ApiToken, InsuranceUnit, Role
from cardreg.employers.tests.conftest import ADMIN_ID, CLERK_ID, OTHER_ID, make_account, make_grant


@pytest.fixture
def admin(unit: InsuranceUnit) -> Account:
    return make_account(ADMIN_ID)


def issue(unit: InsuranceUnit, national_id: str) -> str:
    return actions.issue_api_token(unit, national_id, by=None).token


def test_the_administrator_gets_a_token_before_registering(unit: InsuranceUnit) -> None:
    token = issue(unit, ADMIN_ID)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token)  # 256 random bits, URL-safe
    row = ApiToken.objects.get()
    assert (row.unit, row.national_id) == (unit, ADMIN_ID)
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest__contains=token).exists()
    event = AuditEvent.objects.get(action="employers.api_token_issued")
    assert (event.actor, event.detail) == ("operator", {"token": row.pk, "holder": "A12345****"})
    assert token not in str(event.detail)


def test_every_token_is_new(unit: InsuranceUnit) -> None:
    assert len({issue(unit, ADMIN_ID) for _ in range(5)}) == 5


def test_a_clerk_with_the_upload_right_gets_a_token(unit: InsuranceUnit) -> None:
    make_grant(unit, CLERK_ID, can_upload=True, can_query=False)
    assert authenticate_api_token(issue(unit, CLERK_ID)) is not None


@pytest.mark.parametrize(
    ("national_id", "upload", "refusal"),
    [
        (CLERK_ID, False, Refusal.NO_UPLOAD_RIGHT),  # a clerk with the query right only
        (OTHER_ID, None, Refusal.NO_UPLOAD_RIGHT),  # another unit's administrator
        ("B120000009", None, Refusal.INVALID_ID),
    ],
)
def test_anybody_else_is_refused(
    unit: InsuranceUnit,
    other_unit: InsuranceUnit,
    national_id: str,
    upload: bool | None,
    refusal: Refusal,
) -> None:
    if upload is not None:
        make_grant(unit, national_id, can_upload=upload, can_query=True)
    with pytest.raises(Refused) as caught:
        issue(unit, national_id)
    assert caught.value.refusal is refusal
    assert not ApiToken.objects.exists()


def test_a_token_authenticates_until_revoked(unit: InsuranceUnit, admin: Account) -> None:
    token = issue(unit, ADMIN_ID)
    row = authenticate_api_token(token)
    assert row is not None
    assert (row.unit, row.national_id) == (unit, ADMIN_ID)
    assert row.last_used_at is not None
    actions.revoke_api_token(row, by=admin)
    actions.revoke_api_token(row, by=admin)  # again: nothing more happens
    assert authenticate_api_token(token) is None
    assert AuditEvent.objects.filter(action="employers.api_token_revoked").count() == 1


@pytest.mark.usefixtures("unit")
@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43])
def test_an_unknown_token_authenticates_nobody(token: str) -> None:
    assert authenticate_api_token(token) is None


def test_last_use_is_written_at_most_once_a_minute(unit: InsuranceUnit) -> None:
    token = issue(unit, ADMIN_ID)
    first = authenticate_api_token(token)
    second = authenticate_api_token(token)
    assert first is not None and second is not None
    assert second.last_used_at == first.last_used_at


def clerk_token(unit: InsuranceUnit) -> tuple[Role, str]:
    make_account(CLERK_ID)
    role = make_grant(unit, CLERK_ID, can_upload=True, can_query=False).role
    return role, issue(unit, CLERK_ID)


def test_revoking_the_role_revokes_the_clerks_tokens(unit: InsuranceUnit, admin: Account) -> None:
    role, token = clerk_token(unit)
    actions.revoke_role(role, CLERK_ID, by=admin)
    assert authenticate_api_token(token) is None
    actions.grant_role(role, CLERK_ID, by=admin)
    assert authenticate_api_token(token) is None  # a new grant does not revive the old token


def test_taking_the_upload_right_from_the_role_revokes_the_token(
    unit: InsuranceUnit, admin: Account
) -> None:
    role, token = clerk_token(unit)
    actions.update_role(role, RoleFields(role.name, can_query=True), by=admin)
    assert authenticate_api_token(token) is None
    event = AuditEvent.objects.get(action="employers.role_updated")
    assert event.detail["tokens_revoked"] == 1


def test_deleting_the_role_revokes_the_token(unit: InsuranceUnit, admin: Account) -> None:
    role, token = clerk_token(unit)
    actions.delete_role(role, by=admin)
    assert authenticate_api_token(token) is None


def test_a_token_stays_while_another_role_gives_the_upload_right(
    unit: InsuranceUnit, admin: Account
) -> None:
    role, token = clerk_token(unit)
    make_grant(unit, CLERK_ID, can_upload=True, can_query=True)
    actions.revoke_role(role, CLERK_ID, by=admin)
    assert authenticate_api_token(token) is not None


def test_other_tokens_of_the_unit_stay(unit: InsuranceUnit, admin: Account) -> None:
    role, _ = clerk_token(unit)
    admin_token = issue(unit, ADMIN_ID)
    actions.revoke_role(role, CLERK_ID, by=admin)
    assert authenticate_api_token(admin_token) is not None
