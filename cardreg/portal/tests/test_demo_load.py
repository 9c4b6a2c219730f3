from __future__ import annotations

from pathlib import Path

import pytest

from cardreg.employers.access import units_for
from cardreg.portal.demo import DEMO_UNIT_CODE, DEMO_UNIT_NAME, demo_people
from cardreg.portal.demo_load import load_demo
from cardreg.registry.models import RosterEntry


@pytest.mark.django_db
def test_the_demo_employer_is_administered_by_the_first_demo_person(tmp_path: Path) -> None:
    load_demo(tmp_path / "wallet.json")
    people = load_demo(tmp_path / "wallet.json")  # twice: the same unit, nothing doubled

    (access,) = units_for(people[0].national_id)
    assert (access.unit.code, access.unit.name) == (DEMO_UNIT_CODE, DEMO_UNIT_NAME)
    assert access.rights.is_administrator
    insured = set(RosterEntry.objects.values_list("national_id", flat=True))
    assert insured == {p.national_id for p in demo_people() if p.works_for_demo_unit}
    assert not units_for(people[1].national_id)
