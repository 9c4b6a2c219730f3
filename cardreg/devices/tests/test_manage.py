"""行動裝置管理作業: list, rename and revoke devices; a revoked device's session ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cardreg.accounts.models import Account
from cardreg.accounts.tests.conftest import active_account
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import make_signed_card
from cardreg.devices.checks import MIDDLEWARE, device_middleware_installed
from cardreg.devices.models import Device
from cardreg.devices.testing import SoftAuthenticator
from cardreg.devices.tests.conftest import bind, card_login, passkey_login, signin
from cardreg.mail.models import OutboxMessage


@pytest.fixture
def bound(card_client: Client, phone: SoftAuthenticator) -> Device:
    assert bind(card_client, phone).status_code == 200
    return Device.objects.get()


def test_management_needs_a_card_login(bound: Device, phone: SoftAuthenticator) -> None:
    for url in ("/account/devices/", f"/account/devices/{bound.pk}/revoke"):
        anonymous = Client().get(url)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/account/login")
        assert passkey_login(phone).get(url).status_code == 403
    response = passkey_login(phone).post(f"/account/devices/{bound.pk}/revoke")
    assert response.status_code == 403
    assert Device.objects.active().count() == 1


def test_the_list_shows_own_active_devices_in_taipei_time(
    card_client: Client, bound: Device
) -> None:
    Device.objects.filter(pk=bound.pk).update(
        created_at=dt.datetime(2026, 7, 13, 2, 45, tzinfo=dt.UTC),
        last_used_at=dt.datetime(2026, 7, 14, 16, 5, tzinfo=dt.UTC),
    )
    bind(card_client, SoftAuthenticator(), name="舊平板")
    Device.objects.filter(name="舊平板").update(revoked_at=timezone.now())
    someone = make_signed_card()
    active_account(someone)
    bind(card_login(someone), SoftAuthenticator(), name="別人的手機")

    page = card_client.get("/account/devices/").content.decode()
    page = page[page.index('<table class="check" id="devices">') :]
    assert "我的手機" in page
    assert "2026/07/13 10:45" in page  # Asia/Taipei, UTC+8
    assert "2026/07/15 00:05" in page
    assert "舊平板" not in page
    assert "別人的手機" not in page
    assert '<th scope="col">裝置名稱</th>' in page
    assert f'<label for="rename-{bound.pk}"' in page


def test_rename(card_client: Client, bound: Device) -> None:
    response = card_client.post(f"/account/devices/{bound.pk}/rename", {"name": " 工作手機 "})
    assert response.status_code == 302
    bound.refresh_from_db()
    assert bound.name == "工作手機"
    assert "裝置名稱已變更為「工作手機」" in card_client.get("/account/devices/").content.decode()
    assert AuditEvent.objects.filter(action="device.renamed").count() == 1


def test_rename_needs_a_name(card_client: Client, bound: Device) -> None:
    response = card_client.post(f"/account/devices/{bound.pk}/rename", {"name": ""})
    assert response.status_code == 400
    content = response.content.decode()
    assert "請輸入裝置名稱" in content
    assert 'aria-invalid="true"' in content
    bound.refresh_from_db()
    assert bound.name == "我的手機"


def test_another_accounts_device_is_not_found(bound: Device) -> None:
    someone = make_signed_card()
    active_account(someone)
    client = card_login(someone)
    assert client.get(f"/account/devices/{bound.pk}/revoke").status_code == 404
    assert client.post(f"/account/devices/{bound.pk}/revoke").status_code == 404
    assert client.post(f"/account/devices/{bound.pk}/rename", {"name": "x"}).status_code == 404
    bound.refresh_from_db()
    assert (bound.name, bound.revoked_at) == ("我的手機", None)


def test_revoking_asks_first_then_mails_once_and_audits(
    card_client: Client, bound: Device, account: Account
) -> None:
    confirm = card_client.get(f"/account/devices/{bound.pk}/revoke")
    assert confirm.status_code == 200
    assert "確定要移除「我的手機」嗎" in confirm.content.decode()
    assert Device.objects.active().count() == 1  # asking changes nothing

    response = card_client.post(f"/account/devices/{bound.pk}/revoke", follow=True)
    assert "已移除行動裝置「我的手機」" in response.content.decode()
    bound.refresh_from_db()
    assert bound.revoked_at is not None  # the row stays for the audit trail
    assert card_client.post(f"/account/devices/{bound.pk}/revoke").status_code == 404

    mails = OutboxMessage.objects.order_by("pk")
    assert [m.template for m in mails] == ["device_added", "device_removed"]
    assert mails[1].recipient == account.email
    assert "我的手機" in mails[1].text_body
    assert AuditEvent.objects.filter(action="device.revoked").count() == 1


def test_a_revoked_device_cannot_sign_in(
    card_client: Client, bound: Device, phone: SoftAuthenticator
) -> None:
    card_client.post(f"/account/devices/{bound.pk}/revoke")
    response = signin(Client(), phone)
    assert response.json() == {"message": "無法以此行動裝置登入，請改用健保卡登入"}


@pytest.mark.usefixtures("device_middleware")
def test_revoking_ends_the_sessions_of_that_device_only(
    card_client: Client, bound: Device, phone: SoftAuthenticator
) -> None:
    tablet = SoftAuthenticator()
    bind(card_client, tablet, name="平板")
    on_phone, on_tablet = passkey_login(phone), passkey_login(tablet)
    assert on_phone.get("/account/services").status_code == 200

    card_client.post(f"/account/devices/{bound.pk}/revoke")

    ended = on_phone.get("/account/services", follow=True)
    assert ended.redirect_chain[0][0].startswith("/account/login")
    assert "您用來登入的行動裝置已被移除" in ended.content.decode()
    assert "_auth_user_id" not in on_phone.session
    assert on_tablet.get("/account/services").status_code == 200
    assert card_client.get("/account/devices/").status_code == 200  # the card session stays
    assert AuditEvent.objects.filter(action="device.session_ended").count() == 1


def test_the_system_check_asks_for_the_middleware(settings: Any) -> None:
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    assert [w.id for w in device_middleware_installed()] == ["devices.W001"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
    assert device_middleware_installed() == []


def test_names_are_shown_as_text(card_client: Client, bound: Device) -> None:
    card_client.post(f"/account/devices/{bound.pk}/rename", {"name": '<b>"x"</b>'})
    page = card_client.get("/account/devices/").content.decode()
    assert "<b>" not in page
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in page
