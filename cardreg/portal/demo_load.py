"""Loading the demo: registry rows for the demo people, and their cards' keys in the agent wallet."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction

from cardreg.audit.actions import record_event
from cardreg.cards.models import Card, Person
from cardreg.portal.demo import DEMO_UNIT_CODE, DemoPerson, demo_people
from cardreg.registry.models import HouseholdMember, RosterEntry

WALLET_VERSION = 1


def _wallet_card(person: DemoPerson, key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return {
        "card_number": person.card_number,
        "name": person.name,
        "national_id": person.national_id,
        "birth_date": person.birth_date_roc,
        "sex": person.sex,
        "issue_date": person.issue_date_roc,
        "private_key_pem": pem.decode("ascii"),
    }


def _public_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
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
    from cardagent.wallet import Wallet, WalletCard, save_wallet

    people = demo_people()
    wallet_cards = []
    with transaction.atomic():
        for person in people:
            key = ec.generate_private_key(ec.SECP256R1())
            _save_registry(person, _public_pem(key))
            wallet_cards.append(_wallet_card(person, key))
        RosterEntry.objects.filter(unit_code=DEMO_UNIT_CODE).delete()
        RosterEntry.objects.bulk_create(
            RosterEntry(
                unit_code=DEMO_UNIT_CODE,
                national_id=p.national_id,
                insured_from=p.issue_date,
                insured_until=None,
            )
            for p in people
            if p.works_for_demo_unit
        )
        record_event("demo.loaded", actor="operator", people=len(people))
    save_wallet(
        wallet_path,
        Wallet(
            inserted=people[0].card_number, cards=[WalletCard.from_dict(c) for c in wallet_cards]
        ),
    )
    return people
