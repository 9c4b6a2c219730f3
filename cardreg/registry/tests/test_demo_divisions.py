"""The demo's divisions: every demo person's address can be chosen, and loading is repeatable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cardreg.portal.demo import demo_people
from cardreg.registry import divisions
from cardreg.registry.demo import demo_divisions, load_demo_divisions
from cardreg.registry.division_import import COLUMNS, read_divisions, replace_divisions
from cardreg.registry.models import Village


@pytest.mark.django_db
def test_every_demo_person_lives_in_a_listed_village() -> None:
    load_demo_divisions()
    places = divisions.known_places()
    assert places is not None
    for person in demo_people():
        assert places.problem(person.county, person.township, person.village) is None


@pytest.mark.django_db
def test_loading_twice_adds_nothing_and_keeps_an_imported_list() -> None:
    replace_divisions(demo_divisions()[:1])
    Village.objects.update(name="改名里")
    total = load_demo_divisions()
    assert load_demo_divisions() == total == len(demo_divisions())
    assert Village.objects.filter(name="改名里").count() == 1


def test_the_demo_list_passes_the_import_checks(write_csv: Callable[..., Path]) -> None:
    lines = [",".join(COLUMNS)] + [",".join(vars(row).values()) for row in demo_divisions()]
    assert read_divisions(write_csv("\n".join(lines) + "\n")) == demo_divisions()
