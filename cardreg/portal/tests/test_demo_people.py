"""/demo/people and the employer demo finished from the pages: who is insured by the demo unit,
and the upload page's example file, which uploads unchanged."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cardreg.employers.batchfile import expected_name
from cardreg.employers.models import Batch, InsuranceUnit
from cardreg.employers.tests.conftest import CLERK_ID, make_grant
from cardreg.employers.tests.pages import employer_login, registered, text
from cardreg.portal.demo import DEMO_UNIT_CODE, DemoPerson
from cardreg.portal.demo_load import load_demo
from cardreg.registry.models import RosterEntry


@pytest.fixture
def people(db: None, tmp_path: Path, settings: Any) -> list[DemoPerson]:
    """The demo loaded, demo mode on."""
    loaded = load_demo(tmp_path / "wallet.json")
    settings.CARDREG_DEMO = True
    return loaded


def row_of(page: str, person: DemoPerson) -> str:
    """The person's table row, as the user reads it."""
    (row,) = re.findall(rf'<tr><th scope="row">{person.name}</th>.*?</tr>', page, re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def english(client: Client) -> Client:
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    return client


def test_the_page_shows_full_ids_and_whom_the_roster_insures_today(
    people: list[DemoPerson], settings: Any
) -> None:
    left = next(p for p in people[1:] if p.works_for_demo_unit)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    RosterEntry.objects.filter(national_id=left.national_id).update(insured_until=yesterday)

    page = Client().get("/demo/people").content.decode()

    for person in people:
        row = row_of(page, person)
        assert person.national_id in row  # made-up IDs: shown whole, for the batch file
        insured = person.works_for_demo_unit and person is not left
        assert ("在保" in row) == insured, person.name
    assert "管理者" in row_of(page, people[0])
    settings.CARDREG_DEMO = False
    assert Client().get("/demo/people").status_code == 404


def test_statuses_and_addresses_read_naturally_in_each_language(people: list[DemoPerson]) -> None:
    lost = next(p for p in people if p.card_status == "lost")
    replaced = next(p for p in people if p.card_status == "replaced")
    first = people[0]

    chinese = Client().get("/demo/people").content.decode()
    assert "已報遺失" in row_of(chinese, lost) and "已換發" in row_of(chinese, replaced)
    address = f"{first.county}{first.township}{first.village}{first.neighbourhood}鄰"
    assert f"{address} 有效" in row_of(chinese, first)

    page = english(Client()).get("/demo/people").content.decode()
    assert "Reported lost" in row_of(page, lost) and "Replaced" in row_of(page, replaced)
    address = (
        f"{first.county} {first.township} {first.village}, Neighbourhood {first.neighbourhood}"
    )
    assert f"{address} Active" in row_of(page, first)
    assert "鄰" not in page


def test_the_demo_units_example_uploads_unchanged(people: list[DemoPerson]) -> None:
    clerk_card = registered(CLERK_ID)
    make_grant(
        InsuranceUnit.objects.get(code=DEMO_UNIT_CODE), CLERK_ID, can_upload=True, can_query=True
    )
    clerk = employer_login(clerk_card)

    response = clerk.get(f"/employer/{DEMO_UNIT_CODE}/example.csv")
    name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert name == expected_name(DEMO_UNIT_CODE, timezone.localdate())
    ids = [line.split(",")[0] for line in response.content.decode("utf-8-sig").splitlines()[1:]]
    demo_page = Client().get("/demo/people").content.decode()
    by_id = {person.national_id: person for person in people}
    assert ids and all("在保" in row_of(demo_page, by_id[national_id]) for national_id in ids)

    upload = SimpleUploadedFile(name, response.content, content_type="text/csv")
    contact = {"contact_name": "王承辦", "contact_email": "hr@example.tw", "file": upload}
    posted = clerk.post(f"/employer/{DEMO_UNIT_CODE}/upload", contact)
    assert posted.status_code == 302, text(posted)
    preview = text(clerk.get(posted["Location"]))
    assert f"上傳筆數 {len(ids)}" in preview and "預計失敗筆數 0" in preview
    assert Batch.objects.get().total == len(ids)
