from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cardreg.accounts.models import Account
from cardreg.accounts.tests.conftest import GOOD_DETAILS, active_account
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.devices.checks import MIDDLEWARE
from cardreg.devices.testing import SoftAuthenticator

PASSWORD = GOOD_DETAILS["password"]


@pytest.fixture(autouse=True)
def _demo_mail(settings: Any) -> None:
    settings.CARDREG_MAIL_TRANSPORT = "demo"


@pytest.fixture
def holder(db: None) -> SignedCard:
    """The card of a registered, active account (password PASSWORD)."""
    card = make_signed_card(name="陳美玲")
    active_account(card)
    return card


@pytest.fixture
def account(holder: SignedCard) -> Account:
    return Account.objects.get(person=holder.person)


def card_login(card: SignedCard, client: Client | None = None) -> Client:
    client = client or Client()
    card.prove(client)
    response = client.post("/account/login", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


@pytest.fixture
def card_client(holder: SignedCard) -> Client:
    return card_login(holder)


@pytest.fixture
def phone() -> SoftAuthenticator:
    return SoftAuthenticator()


@pytest.fixture
def device_middleware(settings: Any) -> None:
    """The middleware that ends sessions of revoked devices, as cardreg/settings.py lists it."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        after = settings.MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware")
        settings.MIDDLEWARE = [
            *settings.MIDDLEWARE[: after + 1],
            MIDDLEWARE,
            *settings.MIDDLEWARE[after + 1 :],
        ]


def bind_options(client: Client, name: str = "我的手機") -> Any:
    return client.post("/account/devices/bind/options", {"name": name}, "application/json")


def bind_verify(client: Client, credential: object) -> Any:
    return client.post(
        "/account/devices/bind/verify", {"credential": credential}, "application/json"
    )


def bind(client: Client, phone: SoftAuthenticator, name: str = "我的手機", **create: Any) -> Any:
    """What the 行動裝置認證 page does: options → the phone creates a passkey → verify."""
    options = bind_options(client, name)
    assert options.status_code == 200, options.content.decode()
    return bind_verify(client, phone.create(options.json()["options"], **create))


def signin(client: Client, phone: SoftAuthenticator, **get: Any) -> Any:
    """What the 以行動裝置登入 page does: options → the phone signs → verify."""
    options = client.post("/account/devices/signin/options").json()["options"]
    credential = phone.get(options, **get)
    return client.post(
        "/account/devices/signin/verify", {"credential": credential}, "application/json"
    )


def passkey_login(phone: SoftAuthenticator) -> Client:
    client = Client()
    response = signin(client, phone)
    assert response.status_code == 200, response.content.decode()
    return client
