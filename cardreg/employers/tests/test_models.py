"""The database refuses what no code path may write, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DataError, IntegrityError, transaction

from cardreg.employers.models import (
    ApiToken,
    InsuranceUnit,
    Role,
    RoleGrant,
    UnitAdministrator,
)
from cardreg.employers.tests.conftest import CLERK_ID


def refused(create: Callable[[], Any]) -> bool:
    try:
        with transaction.atomic():
            create()
    except (IntegrityError, DataError):  # PostgreSQL refuses a value too long with a DataError
        return True
    return False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "ok"),
    [("133397421", True), ("13339742", False), ("1333974210", False), ("13339742A", False)],
)
def test_a_unit_code_is_nine_digits(code: str, ok: bool) -> None:
    assert refused(lambda: InsuranceUnit.objects.create(code=code, name="甲公司")) is not ok


def test_a_unit_code_is_unique_and_the_name_not_empty(unit: InsuranceUnit) -> None:
    assert refused(lambda: InsuranceUnit.objects.create(code=unit.code, name="乙公司"))
    assert refused(lambda: InsuranceUnit.objects.create(code="120000000", name=""))


def test_a_unit_has_one_administrator(unit: InsuranceUnit) -> None:
    assert refused(lambda: UnitAdministrator.objects.create(unit=unit, national_id=CLERK_ID))


@pytest.mark.parametrize("national_id", ["a123456789", "A12345678", "A323456789", ""])
def test_a_national_id_column_holds_the_shape_of_an_id(
    unit: InsuranceUnit, national_id: str
) -> None:
    role = Role.objects.create(unit=unit, name="上傳", can_upload=True)
    other = InsuranceUnit.objects.create(code="120000000", name="乙公司")
    assert refused(lambda: UnitAdministrator.objects.create(unit=other, national_id=national_id))
    assert refused(lambda: RoleGrant.objects.create(role=role, national_id=national_id))
    assert refused(
        lambda: ApiToken.objects.create(unit=unit, national_id=national_id, digest="d" * 64)
    )


def test_a_role_name_is_unique_in_its_unit_only(
    unit: InsuranceUnit, other_unit: InsuranceUnit
) -> None:
    Role.objects.create(unit=unit, name="人事承辦", can_upload=True)
    assert refused(lambda: Role.objects.create(unit=unit, name="人事承辦", can_query=True))
    assert not refused(lambda: Role.objects.create(unit=other_unit, name="人事承辦"))
    assert refused(lambda: Role.objects.create(unit=unit, name=""))


def test_a_clerk_holds_a_role_once(unit: InsuranceUnit) -> None:
    role = Role.objects.create(unit=unit, name="上傳", can_upload=True)
    RoleGrant.objects.create(role=role, national_id=CLERK_ID)
    assert refused(lambda: RoleGrant.objects.create(role=role, national_id=CLERK_ID))


def test_deleting_a_role_deletes_its_grants(unit: InsuranceUnit) -> None:
    role = Role.objects.create(unit=unit, name="上傳", can_upload=True)
    RoleGrant.objects.create(role=role, national_id=CLERK_ID)
    role.delete()
    assert not RoleGrant.objects.exists()


def test_a_token_digest_is_unique(unit: InsuranceUnit) -> None:
    ApiToken.objects.create(unit=unit, national_id=CLERK_ID, digest="d" * 64)
    assert refused(
        lambda: ApiToken.objects.create(unit=unit, national_id=CLERK_ID, digest="d" * 64)
    )
