from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cardreg.accounts.models import Account, AccountStatus
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.registry.models import HouseholdMember

HOUSEHOLD = {
    "household_no": "F1234567",
    "county": "臺北市",
    "township": "中正區",
    "village": "黎明里",
    "neighbourhood": "3",
}
GOOD_DETAILS = {
    "password": "Tw!2026strong",
    "password_confirm": "Tw!2026strong",
    "phone_area": "02",
    "phone_number": "23456789",
    "phone_ext": "123",
    "mobile": "0912345678",
    "email": "wang@example.tw",
    "email_backup": "",
}


@pytest.fixture(autouse=True)
def _demo_transport_and_divisions(settings: Any, db: None) -> None:
    settings.CARDREG_MAIL_TRANSPORT = "demo"
    settings.CARDREG_HOUSEHOLD_REGISTER = "local"
    from cardreg.registry.demo import load_demo_divisions

    load_demo_divisions()


@pytest.fixture
def applicant(db: None) -> SignedCard:
    """A card holder with a household record, not yet registered."""
    card = make_signed_card(name="林堃喆")
    fields = {k: v for k, v in HOUSEHOLD.items() if k != "neighbourhood"}
    HouseholdMember.objects.create(national_id=card.person.national_id, neighbourhood=3, **fields)
    return card


def walk_to_details(client: Client, card: SignedCard) -> None:
    """Terms → card → household, as a user does."""
    assert client.post("/account/register", {"agree": "yes"}).status_code == 302
    assert card.prove(client).status_code == 200
    assert client.post("/account/register/card").status_code == 302
    response = client.post("/account/register/household", HOUSEHOLD)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/account/register/details"


def register(client: Client, card: SignedCard, **details: str) -> Any:
    walk_to_details(client, card)
    return client.post("/account/register/details", {**GOOD_DETAILS, **details})


def active_account(card: SignedCard, password: str = GOOD_DETAILS["password"]) -> Account:
    account = Account.objects.create_user(
        card.person.national_id,
        password,
        person=card.person,
        mobile="0912345678",
        email="wang@example.tw",
        status=AccountStatus.ACTIVE,
    )
    return account
