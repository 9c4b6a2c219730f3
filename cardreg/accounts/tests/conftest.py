from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from cardreg.accounts.models import Account, AccountStatus
from cardreg.cards.models import Person
from cardreg.cards.testing import RunningAgent, SignedCard, make_signed_card
from cardreg.mail.models import OutboxMessage
from cardreg.portal.demo import DemoPerson
from cardreg.portal.demo_load import load_demo
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


def add_household(card: SignedCard) -> None:
    """A household record for ``card``'s holder: the one HOUSEHOLD describes."""
    fields = {k: v for k, v in HOUSEHOLD.items() if k != "neighbourhood"}
    HouseholdMember.objects.create(national_id=card.person.national_id, neighbourhood=3, **fields)


@pytest.fixture
def applicant(db: None) -> SignedCard:
    """A card holder with a household record, not yet registered."""
    card = make_signed_card(name="林堃喆")
    add_household(card)
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


def active_demo_account(person: DemoPerson, password: str = GOOD_DETAILS["password"]) -> Account:
    """A demo person (whose card the virtual reader holds) with an active account."""
    return Account.objects.create_user(
        person.national_id,
        password,
        person=Person.objects.get(national_id=person.national_id),
        mobile="0912345678",
        email="lin@example.tw",
        status=AccountStatus.ACTIVE,
    )


def login(client: Client, card: SignedCard, password: str = GOOD_DETAILS["password"]) -> Any:
    card.prove(client)
    return client.post("/account/login", {"password": password})


def visible(response: Any) -> str:
    """The page as the user reads it, without the per-request CSRF token."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())


def mailed_token(path: str, to: str | None = None) -> str:
    """The token of the newest mail with a link to ``path`` (the token is after the "#")."""
    mails = OutboxMessage.objects.filter(text_body__contains=f"{path}#").order_by("-id")
    mail = (mails.filter(recipient=to) if to else mails).first()
    assert mail is not None, f"no mail links to {path}"
    match = re.search(rf"{re.escape(path)}#([A-Za-z0-9_-]+)", mail.text_body)
    assert match, mail.text_body
    return match.group(1)


@dataclass
class DemoSite:
    url: str
    people: list[DemoPerson]
    agent: RunningAgent


@pytest.fixture
def demo_site(
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    agent_factory: Callable[[Path, str], RunningAgent],
) -> DemoSite:
    """The demo as a browser journey sees it: demo people, the real card agent with a virtual
    reader (insert a card with ``agent.set_slot``), the demo mailbox."""
    wallet = tmp_path / "wallet.json"
    people = load_demo(wallet)
    agent = agent_factory(wallet, live_server.url)
    settings.CARDREG_DEMO = True
    settings.CARDREG_MAIL_TRANSPORT = "demo"
    settings.CARDREG_AGENT_URL = agent.url
    settings.CARDREG_PUBLIC_URL = live_server.url
    return DemoSite(url=live_server.url, people=people, agent=agent)
