"""忘記註冊密碼 revokes every bound passkey (the account may have been in other hands); a
voluntary 註冊密碼變更 keeps them."""

from __future__ import annotations

import pytest
from django.test import Client

from cardreg.accounts.tests.conftest import active_account, mailed_token
from cardreg.accounts.tests.test_change_password import change
from cardreg.accounts.tests.test_forgot import NEW, forgot, reset
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.devices.models import Device
from cardreg.devices.testing import SoftAuthenticator
from cardreg.devices.tests.conftest import bind, card_login, passkey_login, signin
from cardreg.mail.models import OutboxMessage


@pytest.fixture
def phones(card_client: Client) -> list[SoftAuthenticator]:
    """Two passkeys bound to the holder's account: 我的手機 and 舊平板."""
    bound = [SoftAuthenticator(), SoftAuthenticator()]
    for phone, name in zip(bound, ("我的手機", "舊平板"), strict=True):
        assert bind(card_client, phone, name=name).status_code == 200
    return bound


@pytest.mark.usefixtures("device_middleware")
def test_a_reset_revokes_every_passkey_ends_its_sessions_and_lists_them_in_the_mail(
    holder: SignedCard, phones: list[SoftAuthenticator]
) -> None:
    someone = make_signed_card()  # another account's passkey is not touched
    active_account(someone)
    assert bind(card_login(someone), SoftAuthenticator()).status_code == 200
    passkey_session = passkey_login(phones[0])
    assert passkey_session.get("/account/services").status_code == 200

    forgot(holder)
    response = reset(holder, mailed_token("/account/reset"))
    assert "註冊密碼已重設" in response.content.decode()

    assert Device.objects.active().get().account.person == someone.person
    assert passkey_session.get("/account/services").status_code == 302  # the session ended
    for phone in phones:
        assert signin(Client(), phone).status_code != 200
    mail = OutboxMessage.objects.get(template="password_changed")
    assert "下列綁定的行動裝置也已全部解除" in mail.text_body
    assert "- 我的手機\n- 舊平板" in mail.text_body
    assert "<li>我的手機</li><li>舊平板</li>" in mail.html_body
    assert not OutboxMessage.objects.filter(template="device_removed").exists()
    events = AuditEvent.objects.filter(action="device.revoked")
    assert events.count() == 2
    assert {event.detail["reason"] for event in events} == {"password_reset"}


def test_a_password_change_keeps_the_passkeys(
    card_client: Client, phones: list[SoftAuthenticator]
) -> None:
    response = change(card_client)
    assert "註冊密碼已變更" in card_client.get(response["Location"]).content.decode()
    assert Device.objects.active().count() == 2
    assert signin(Client(), phones[0]).status_code == 200
    mail = OutboxMessage.objects.get(template="password_changed")
    assert "行動裝置" not in mail.text_body


def test_a_reset_without_passkeys_mails_no_device_list(holder: SignedCard) -> None:
    forgot(holder)
    reset(holder, mailed_token("/account/reset"), password=NEW)
    mail = OutboxMessage.objects.get(template="password_changed")
    assert "行動裝置" not in mail.text_body
