"""行動裝置認證 needs a recent card check: a card session 20 minutes old cannot add a passkey
until the holder reads the card again (the same rule as 帳號資料異動)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from cardreg.accounts.middleware import LOGIN_AT
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.devices.models import Device
from cardreg.devices.testing import SoftAuthenticator
from cardreg.devices.tests.conftest import bind, bind_options, bind_verify

PAGE = "/account/devices/bind"


def age_login(client: Client, minutes: int) -> None:
    session = client.session
    session[LOGIN_AT] = (timezone.now() - dt.timedelta(minutes=minutes)).isoformat()
    session.save()


def test_a_20_minute_old_card_session_cannot_bind_until_the_card_is_read(
    holder: SignedCard, card_client: Client, phone: SoftAuthenticator
) -> None:
    options = bind_options(card_client)  # asked for while the login was fresh
    age_login(card_client, 20)
    page = card_client.get(PAGE).content.decode()
    assert "綁定行動裝置前請再讀取一次健保卡（登入或讀卡已超過 15 分鐘）" in page
    assert 'action="/account/devices/bind/card"' in page
    assert 'id="device-form"' not in page
    stale = bind_options(card_client)
    assert stale.status_code == 403
    assert "請再讀取一次健保卡" in stale.json()["message"]
    # The page goes where the card can be read again, not leaving the user with a dead end.
    assert stale.json()["redirect"] == PAGE
    # Nor may a ceremony started earlier be finished now.
    late = bind_verify(card_client, phone.create(options.json()["options"]))
    assert late.status_code == 403
    assert not Device.objects.exists()

    holder.prove(card_client)
    response = card_client.post(f"{PAGE}/card")
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert 'id="device-form"' in card_client.get(PAGE).content.decode()
    assert bind(card_client, phone).status_code == 200
    assert Device.objects.count() == 1


def test_another_persons_card_does_not_open_binding(card_client: Client) -> None:
    age_login(card_client, 20)
    make_signed_card().prove(card_client)
    page = card_client.post(f"{PAGE}/card").content.decode()
    assert "不是您本人的健保卡" in page
    assert bind_options(card_client).status_code == 403


def test_the_card_page_without_a_card_read_says_so(card_client: Client) -> None:
    age_login(card_client, 20)
    page = card_client.post(f"{PAGE}/card").content.decode()
    assert "健保卡尚未讀取" in page
    assert "<h1>行動裝置認證</h1>" in page


def test_the_stale_notice_is_in_english_too(card_client: Client) -> None:
    age_login(card_client, 20)
    card_client.cookies["django_language"] = "en"
    page = card_client.get(PAGE, headers={"accept-language": "en"}).content.decode()
    assert "please read your NHI card again before binding a mobile device" in page
