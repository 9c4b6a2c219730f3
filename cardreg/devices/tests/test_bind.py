"""行動裝置認證: binding a passkey after a card + password login."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from cardreg.accounts.models import Account
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard
from cardreg.devices.models import Device
from cardreg.devices.passkeys import stored_user_handle
from cardreg.devices.testing import SoftAuthenticator
from cardreg.devices.tests.conftest import (
    bind,
    bind_options,
    bind_verify,
    card_login,
    passkey_login,
)
from cardreg.mail.models import OutboxMessage


def test_binding_needs_a_login(db: None) -> None:
    client = Client()
    for url in ("/account/devices/bind", "/account/devices/bind/options"):
        response = client.get(url) if url.endswith("bind") else client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login")


def test_a_passkey_session_cannot_bind_another_device(
    card_client: Client, phone: SoftAuthenticator
) -> None:
    bind(card_client, phone)
    client = passkey_login(phone)
    page = client.get("/account/devices/bind")
    assert page.status_code == 403
    assert "需以健保卡登入" in page.content.decode()
    options = bind_options(client, "x")
    assert options.status_code == 403


def test_the_bind_page_labels_its_field_and_announces_status(card_client: Client) -> None:
    page = card_client.get("/account/devices/bind").content.decode()
    assert '<label for="device-name">裝置名稱</label>' in page
    assert 'id="device-status" role="status" aria-live="polite"' in page
    assert "目前已綁定 0 個行動裝置，最多可綁定 5 個" in page


def test_options_ask_for_a_discoverable_verified_passkey(
    card_client: Client, account: Account
) -> None:
    response = card_client.post(
        "/account/devices/bind/options", {"name": "手機"}, "application/json"
    )
    options = response.json()["options"]
    assert options["rp"] == {"id": "localhost", "name": "健保卡網路服務註冊"}
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["user"]["id"] == stored_user_handle(account.pk)
    assert options["user"]["name"] == account.national_id[:6] + "****"  # never the full ID
    assert options["user"]["displayName"] == "陳美玲"


def test_binding_saves_the_device_mails_once_and_audits(
    card_client: Client, phone: SoftAuthenticator, account: Account
) -> None:
    response = bind(card_client, phone, name="我的手機")
    assert response.status_code == 200
    assert response.json() == {"redirect": "/account/devices/"}
    device = Device.objects.get()
    assert (device.account, device.name, device.revoked_at) == (account, "我的手機", None)
    assert device.transports == ["internal", "hybrid"]
    mail = OutboxMessage.objects.get()
    assert (mail.template, mail.recipient) == ("device_added", account.email)
    assert "我的手機" in mail.text_body
    assert "0800-030598" in mail.text_body
    assert "行動裝置管理作業" in mail.text_body
    assert AuditEvent.objects.filter(action="device.added").count() == 1
    page = card_client.get("/account/devices/").content.decode()
    assert "已綁定行動裝置「我的手機」" in page


def test_bound_credentials_are_excluded_from_new_options(
    card_client: Client, phone: SoftAuthenticator
) -> None:
    bind(card_client, phone)
    options = bind_options(card_client, "x")
    excluded = [c["id"] for c in options.json()["options"]["excludeCredentials"]]
    assert excluded == [Device.objects.get().credential_id]


def test_a_device_name_is_required(card_client: Client) -> None:
    response = bind_options(card_client, "  ")
    assert response.status_code == 400
    assert "請輸入裝置名稱" in response.json()["message"]


def test_at_most_five_active_devices(card_client: Client, account: Account) -> None:
    for n in range(5):
        bind(card_client, SoftAuthenticator(), name=f"裝置{n}")
    response = bind_options(card_client, "6")
    assert response.status_code == 409
    assert "已達上限" in response.json()["message"]
    page = card_client.get("/account/devices/bind").content.decode()
    assert "已達上限" in page
    assert "綁定此裝置" not in page
    # A revoked device frees its place.
    Device.objects.filter(name="裝置0").update(revoked_at=timezone.now())
    assert bind(card_client, SoftAuthenticator(), name="新手機").status_code == 200
    assert Device.objects.active().filter(account=account).count() == 5


def test_the_limit_holds_when_the_answer_arrives(
    card_client: Client, holder: SignedCard, account: Account, settings: Any
) -> None:
    settings.CARDREG_MAX_DEVICES = 1
    options = bind_options(card_client, "a")
    bind(card_login(holder), SoftAuthenticator())  # another session takes the last place
    credential = SoftAuthenticator().create(options.json()["options"])
    response = bind_verify(card_client, credential)
    assert response.status_code == 409
    assert "已達上限" in response.json()["message"]
    assert Device.objects.filter(account=account).count() == 1


def test_a_challenge_answers_once(card_client: Client, phone: SoftAuthenticator) -> None:
    options = bind_options(card_client, "a")
    credential = phone.create(options.json()["options"])
    first = bind_verify(card_client, credential)
    assert first.status_code == 200
    replay = bind_verify(card_client, credential)
    assert replay.status_code == 400
    assert "已逾時或已使用過" in replay.json()["message"]
    assert Device.objects.count() == 1


def test_an_old_challenge_is_refused(card_client: Client, phone: SoftAuthenticator) -> None:
    options = bind_options(card_client, "a")
    session = card_client.session
    pending = session["devices.registration"]
    pending["expires"] = (timezone.now() - dt.timedelta(seconds=1)).isoformat()
    session.save()
    credential = phone.create(options.json()["options"])
    response = bind_verify(card_client, credential)
    assert response.status_code == 400
    assert "已逾時" in response.json()["message"]
    assert not Device.objects.exists()


def test_a_newer_challenge_replaces_the_older_one(
    card_client: Client, phone: SoftAuthenticator
) -> None:
    old = bind_options(card_client, "a")
    bind_options(card_client, "b")
    credential = phone.create(old.json()["options"])
    response = bind_verify(card_client, credential)
    assert response.status_code == 400
    assert "裝置驗證失敗" in response.json()["message"]
    assert not Device.objects.exists()


def test_answers_that_do_not_verify_are_refused(card_client: Client) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"verified": False}, "user was not verified"),  # no fingerprint, face or screen lock
        ({"origin": "https://phish.example"}, "Unexpected client data origin"),
    ]
    for create, reason in cases:
        response = bind(card_client, SoftAuthenticator(), **create)
        assert response.status_code == 400, create
        assert "裝置驗證失敗" in response.json()["message"]
        event = AuditEvent.objects.filter(action="device.bind_failed").latest("pk")
        assert reason in event.detail["reason"]
    garbage = bind_options(card_client, "a")
    assert garbage.status_code == 200
    response = bind_verify(card_client, {"id": "x"})
    assert response.status_code == 400
    assert not Device.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert AuditEvent.objects.filter(action="device.bind_failed").count() == 3
