from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from cardreg.accounts.models import Account, AccountStatus
from cardreg.cards.models import Person
from cardreg.employers.models import InsuranceUnit, Role, RoleGrant, UnitAdministrator

ADMIN_ID = "A123456789"
CLERK_ID = "B120000008"  # all three pass the checksum
OTHER_ID = "A800000014"


def make_account(national_id: str, status: str = AccountStatus.ACTIVE) -> Account:
    person = Person.objects.create(
        national_id=national_id, name="王小明", birth_date=dt.date(1990, 1, 1), sex="M"
    )
    return Account.objects.create_user(
        national_id, person=person, mobile="0912345678", email="a@example.tw", status=status
    )


@pytest.fixture
def account() -> Callable[..., Account]:
    """``account(national_id, status=ACTIVE)`` → a registered account of that person."""
    return make_account


def make_unit(code: str = "133397421", admin: str = ADMIN_ID) -> InsuranceUnit:
    unit = InsuranceUnit.objects.create(code=code, name=f"單位{code}")
    UnitAdministrator.objects.create(unit=unit, national_id=admin)
    return unit


@pytest.fixture
def unit(db: None) -> InsuranceUnit:
    """Unit 133397421, administered by ADMIN_ID (who has no account)."""
    return make_unit()


@pytest.fixture
def other_unit(db: None) -> InsuranceUnit:
    """Unit 120000000, administered by OTHER_ID."""
    return make_unit("120000000", OTHER_ID)


def make_grant(
    unit: InsuranceUnit, national_id: str, *, can_upload: bool, can_query: bool
) -> RoleGrant:
    """A role with these rights in `unit`, held by `national_id` (no action, no account check)."""
    count = Role.objects.filter(unit=unit).count()
    role = Role.objects.create(
        unit=unit, name=f"角色{count + 1}", can_upload=can_upload, can_query=can_query
    )
    return RoleGrant.objects.create(role=role, national_id=national_id)
