"""角色管理: 儲存 (create or update) and 刪除 of roles, with their refusals and audit events."""

from __future__ import annotations

from typing import Any

import pytest

from cardreg.accounts.models import Account
from cardreg.audit.models import AuditEvent
from cardreg.employers import actions
from cardreg.employers.actions import Refusal, Refused, RoleFields
from cardreg.employers.messages import refusal_message
from cardreg.employers.models import InsuranceUnit, Role, RoleGrant
from cardreg.employers.tests.conftest import ADMIN_ID, CLERK_ID, make_account


@pytest.fixture
def admin(unit: InsuranceUnit) -> Account:
    return make_account(ADMIN_ID)


def create(unit: InsuranceUnit, by: Account, **fields: Any) -> Role:
    values = {"name": "人事承辦", "description": "上傳員工資料", "can_upload": True, **fields}
    return actions.create_role(unit, RoleFields(**values), by=by)


def test_a_role_is_saved_with_its_rights_and_audited(unit: InsuranceUnit, admin: Account) -> None:
    role = create(unit, admin, name="  人事承辦 ", can_query=True)
    assert (role.unit, role.name, role.description) == (unit, "人事承辦", "上傳員工資料")
    assert (role.can_upload, role.can_query) == (True, True)
    event = AuditEvent.objects.get(action="employers.role_created")
    assert (event.actor, event.subject) == ("A12345****", "unit 133397421")
    assert event.detail == {"role": role.pk, "can_upload": True, "can_query": True}


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"name": "  "}, Refusal.ROLE_NAME_REQUIRED),
        ({"name": "角" * 51}, Refusal.ROLE_NAME_TOO_LONG),
        ({"description": "說" * 201}, Refusal.ROLE_DESCRIPTION_TOO_LONG),
        ({"can_upload": False, "can_query": False}, Refusal.ROLE_NO_RIGHTS),
    ],
)
def test_a_role_without_a_proper_name_or_any_right_is_refused(
    unit: InsuranceUnit, admin: Account, fields: dict[str, Any], refusal: Refusal
) -> None:
    with pytest.raises(Refused) as caught:
        create(unit, admin, **fields)
    assert caught.value.refusal is refusal
    assert not Role.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_longest_name_and_description_are_accepted(unit: InsuranceUnit, admin: Account) -> None:
    role = create(unit, admin, name="角" * 50, description="說" * 200)
    assert len(role.name) == 50


def test_a_second_role_of_the_same_name_is_refused(unit: InsuranceUnit, admin: Account) -> None:
    create(unit, admin)
    with pytest.raises(Refused) as caught:
        create(unit, admin, can_upload=False, can_query=True)
    assert caught.value.refusal is Refusal.ROLE_NAME_TAKEN
    assert "同名" in refusal_message(caught.value)
    assert Role.objects.count() == 1


def test_refusals_are_explained_with_their_limits(unit: InsuranceUnit, admin: Account) -> None:
    with pytest.raises(Refused) as caught:
        create(unit, admin, name="角" * 51)
    assert refusal_message(caught.value) == "角色名稱最多 50 個字。"


def test_updating_a_role_changes_its_holders_rights(unit: InsuranceUnit, admin: Account) -> None:
    role = create(unit, admin)
    actions.update_role(role, RoleFields("查詢", can_query=True), by=admin)
    role.refresh_from_db()
    assert (role.name, role.description, role.can_upload, role.can_query) == (
        "查詢",
        "",
        False,
        True,
    )
    assert AuditEvent.objects.filter(action="employers.role_updated").count() == 1


def test_renaming_a_role_to_a_taken_name_is_refused(unit: InsuranceUnit, admin: Account) -> None:
    create(unit, admin)
    role = create(unit, admin, name="查詢")
    with pytest.raises(Refused) as caught:
        actions.update_role(role, RoleFields("人事承辦", can_upload=True), by=admin)
    assert caught.value.refusal is Refusal.ROLE_NAME_TAKEN
    role.refresh_from_db()
    assert role.name == "查詢"


def test_an_update_is_checked_like_a_new_role(unit: InsuranceUnit, admin: Account) -> None:
    role = create(unit, admin)
    with pytest.raises(Refused) as caught:
        actions.update_role(role, RoleFields("人事承辦"), by=admin)
    assert caught.value.refusal is Refusal.ROLE_NO_RIGHTS
    role.refresh_from_db()
    assert role.can_upload


def test_deleting_a_role_removes_its_grants(unit: InsuranceUnit, admin: Account) -> None:
    role = create(unit, admin)
    RoleGrant.objects.create(role=role, national_id=CLERK_ID)
    actions.delete_role(role, by=admin)
    assert not Role.objects.exists()
    assert not RoleGrant.objects.exists()
    event = AuditEvent.objects.get(action="employers.role_deleted")
    assert event.detail == {"role": role.pk, "grants": 1, "tokens_revoked": 0}
