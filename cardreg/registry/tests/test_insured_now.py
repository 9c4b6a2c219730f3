"""insured_now: who among a batch's IDs is insured through the unit on a day, set-based."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cardreg.lib.national_id import make_national_id
from cardreg.registry import roster
from cardreg.registry.models import RosterEntry
from cardreg.registry.roster import insured_now

UNIT = "133397421"
DAY = dt.date(2016, 7, 13)
ONE = dt.timedelta(days=1)

pytestmark = pytest.mark.django_db


def enrol(national_id: str, start: dt.date, end: dt.date | None, unit: str = UNIT) -> None:
    RosterEntry.objects.create(
        unit_code=unit, national_id=national_id, insured_from=start, insured_until=end
    )


@pytest.mark.parametrize(
    ("start", "end", "insured"),
    [
        (DAY, None, True),  # from today, still insured
        (DAY - ONE, None, True),
        (DAY + ONE, None, False),  # starts tomorrow
        (DAY - 10 * ONE, DAY, True),  # last day today
        (DAY - 10 * ONE, DAY + ONE, True),
        (DAY - 10 * ONE, DAY - ONE, False),  # left yesterday
        (DAY, DAY, True),  # a one-day period
    ],
)
def test_a_period_covers_the_day_from_its_first_to_its_last_day(
    start: dt.date, end: dt.date | None, insured: bool
) -> None:
    enrol("A123456789", start, end)
    assert insured_now(UNIT, ["A123456789"], DAY) == ({"A123456789"} if insured else set())


def test_any_of_several_periods_counts() -> None:
    enrol("A123456789", DAY - 100 * ONE, DAY - 50 * ONE)
    enrol("A123456789", DAY - 10 * ONE, None)
    assert insured_now(UNIT, ["A123456789"], DAY) == {"A123456789"}


def test_insured_through_another_unit_does_not_count() -> None:
    enrol("A123456789", DAY, None, unit="120000000")
    assert insured_now(UNIT, ["A123456789"], DAY) == set()


def test_only_the_ids_asked_about_are_answered() -> None:
    enrol("A123456789", DAY, None)
    enrol("A800000014", DAY, None)
    assert insured_now(UNIT, ["A800000014", "AA00000009"], DAY) == {"A800000014"}
    assert insured_now(UNIT, [], DAY) == set()


def test_one_query_per_chunk_of_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster, "CHUNK", 4)
    ids = [make_national_id("A", "1", f"{n:07d}") for n in range(10)]
    for national_id in ids[::2]:
        enrol(national_id, DAY, None)
    with CaptureQueriesContext(connection) as queries:
        insured = insured_now(UNIT, ids, DAY)
    assert insured == set(ids[::2])
    assert len(queries) == 3  # 4 + 4 + 2 IDs
