"""Loading the demo: registry rows for the demo people, their card keys in the agent wallet."""

from __future__ import annotations

from pathlib import Path

from cardagent.record import CardData
from cardagent.virtual import VirtualCard, Wallet, new_virtual_card, public_key_pem, save_wallet
from django.db import transaction

from cardreg.audit.actions import record_event
from cardreg.cards.models import Card, Person
from cardreg.employers.actions import provision_unit
from cardreg.portal.demo import DEMO_UNIT_CODE, DEMO_UNIT_NAME, DemoPerson, demo_people
from cardreg.registry.demo import load_demo_divisions
from cardreg.registry.models import HouseholdMember, RosterEntry


def _virtual_card(person: DemoPerson) -> VirtualCard:
    return new_virtual_card(
        CardData(
            card_number=person.card_number,
            name=person.name,
            national_id=person.national_id,
            birth_date=person.birth_date,
            sex=person.sex,
            issue_date=person.issue_date,
        )
    )


def _save_registry(person: DemoPerson, public_pem: str) -> None:
    holder, _ = Person.objects.update_or_create(
        national_id=person.national_id,
        defaults={"name": person.name, "birth_date": person.birth_date, "sex": person.sex},
    )
    Card.objects.update_or_create(
        card_number=person.card_number,
        defaults={
            "person": holder,
            "issue_date": person.issue_date,
            "status": person.card_status,
            "public_key_pem": public_pem,
        },
    )
    HouseholdMember.objects.update_or_create(
        national_id=person.national_id,
        defaults={
            "household_no": person.household_no,
            "county": person.county,
            "township": person.township,
            "village": person.village,
            "neighbourhood": person.neighbourhood,
        },
    )


def load_demo(wallet_path: Path) -> list[DemoPerson]:
    """(Re)create the demo data; new keys every time, so an old wallet stops working."""
    people = demo_people()
    cards = [_virtual_card(person) for person in people]
    with transaction.atomic():
        load_demo_divisions()
        for person, card in zip(people, cards, strict=True):
            _save_registry(person, public_key_pem(card))
        RosterEntry.objects.filter(unit_code=DEMO_UNIT_CODE).delete()
        RosterEntry.objects.bulk_create(
            RosterEntry(
                unit_code=DEMO_UNIT_CODE, national_id=p.national_id, insured_from=p.issue_date
            )
            for p in people
            if p.works_for_demo_unit
        )
        # The demo employer, administered by the first demo person (register him first to use
        # 多憑證網路承保作業); two thirds of the people are insured by it.
        provision_unit(
            code=DEMO_UNIT_CODE, name=DEMO_UNIT_NAME, administrator_id=people[0].national_id
        )
        record_event("demo.loaded", actor="operator", people=len(people))
    save_wallet(wallet_path, Wallet(cards=cards, inserted=people[0].card_number))
    return people
