"""`manage.py create_unit CODE NAME --admin NATIONAL_ID`: provisions or updates a unit."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cardreg.audit.models import AuditEvent
from cardreg.employers.access import ADMINISTRATOR, NO_RIGHTS, unit_rights
from cardreg.employers.models import ApiToken, InsuranceUnit, UnitAdministrator
from cardreg.employers.tests.conftest import ADMIN_ID, CLERK_ID, make_grant


def create_unit(*args: str) -> str:
    out = StringIO()
    call_command("create_unit", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_unit_is_created_with_an_administrator_who_has_not_registered() -> None:
    out = create_unit("133397421", "甲公司", "--admin", ADMIN_ID)
    assert out == "created unit 133397421 甲公司, administrator A12345****\n"
    unit = InsuranceUnit.objects.get()
    assert (unit.code, unit.name, unit.administrator.national_id) == (
        "133397421",
        "甲公司",
        ADMIN_ID,
    )
    assert unit_rights(ADMIN_ID, unit) == ADMINISTRATOR
    event = AuditEvent.objects.get(action="employers.unit_created")
    assert (event.actor, event.subject) == ("operator", "unit 133397421")


@pytest.mark.django_db
def test_running_it_again_changes_nothing() -> None:
    create_unit("133397421", "甲公司", "--admin", ADMIN_ID)
    out = create_unit("133397421", "甲公司", "--admin", ADMIN_ID)
    assert out.startswith("updated unit 133397421")
    assert InsuranceUnit.objects.count() == UnitAdministrator.objects.count() == 1


@pytest.mark.django_db
def test_running_it_again_updates_the_name_and_replaces_the_administrator() -> None:
    create_unit("133397421", "甲公司", "--admin", ADMIN_ID)
    create_unit("133397421", "甲股份有限公司", "--admin", CLERK_ID)
    unit = InsuranceUnit.objects.get()
    assert unit.name == "甲股份有限公司"
    assert unit_rights(CLERK_ID, unit) == ADMINISTRATOR
    assert unit_rights(ADMIN_ID, unit) == NO_RIGHTS
    assert AuditEvent.objects.get(action="employers.unit_updated").detail == {
        "administrator": "B12000****",
        "administrator_changed": True,
        "tokens_revoked": 0,
    }


def test_a_replaced_administrator_keeps_a_token_only_with_an_upload_role(
    unit: InsuranceUnit,
) -> None:
    make_grant(unit, CLERK_ID, can_upload=True, can_query=False)
    ApiToken.objects.create(unit=unit, national_id=ADMIN_ID, digest="a" * 64)
    ApiToken.objects.create(unit=unit, national_id=CLERK_ID, digest="c" * 64)
    create_unit(unit.code, unit.name, "--admin", CLERK_ID)
    assert list(ApiToken.objects.active().values_list("national_id", flat=True)) == [CLERK_ID]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("13339742", "甲公司", "--admin", ADMIN_ID), "the unit code must be 9 digits"),
        (("13339742１", "甲公司", "--admin", ADMIN_ID), "the unit code must be 9 digits"),
        (("133397421", " ", "--admin", ADMIN_ID), "the unit name must be 1 to 100 characters"),
        (("133397421", "甲" * 101, "--admin", ADMIN_ID), "the unit name must be 1 to 100"),
        (("133397421", "甲公司", "--admin", "A123456788"), "invalid national ID (checksum)"),
        (("133397421", "甲公司", "--admin", "a123456789"), "invalid national ID (lower_case)"),
    ],
)
def test_a_bad_argument_is_refused_and_changes_nothing(
    args: tuple[str, ...], expected: str
) -> None:
    with pytest.raises(CommandError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        create_unit(*args)
    assert not InsuranceUnit.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_administrator_is_required() -> None:
    with pytest.raises(CommandError, match="--admin"):
        create_unit("133397421", "甲公司")
