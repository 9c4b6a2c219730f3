"""Browser journey: card login → bind a passkey → sign in with it alone → account changes refused
→ card login again, revoke it → the passkey is refused. Chromium's virtual authenticator (CDP)
plays the phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cardreg.accounts.tests.conftest import active_account
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.devices.models import Device
from cardreg.devices.tests.conftest import card_login

pytestmark = pytest.mark.django_db(transaction=True)
WEBAUTHN_TIMEOUT = 5_000  # ms: without an authenticator create() would wait for minutes
REFUSED = "無法以此行動裝置登入，請改用健保卡登入"


def add_virtual_phone(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def log_in_with_card(page: Page, live_server: Any, card: SignedCard) -> None:
    """The card + password login through Django's client; the browser takes over its session."""
    session = card_login(card).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(f"{live_server.url}/account/services")
    expect(page.get_by_role("heading", name="服務項目")).to_be_visible()


def sign_in_with_passkey(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/account/devices/signin")
    page.get_by_role("button", name="以行動裝置登入").click()


@pytest.fixture
def holder(db: None, settings: Any, live_server: Any) -> SignedCard:
    settings.CARDREG_MAIL_TRANSPORT = "demo"
    settings.CARDREG_PUBLIC_URL = live_server.url  # RP ID localhost
    card = make_signed_card(name="陳美玲")
    active_account(card)
    return card


def test_bind_sign_in_refuse_changes_and_revoke(
    page: Page, live_server: Any, holder: SignedCard
) -> None:
    add_virtual_phone(page)
    log_in_with_card(page, live_server, holder)

    page.get_by_role("link", name="行動裝置認證").click()
    expect(page.get_by_role("heading", name="行動裝置認證")).to_be_visible()
    # The page's script enables the button once it is ready (the test may be faster than that).
    expect(page.get_by_role("button", name="綁定此裝置")).to_be_enabled()
    page.get_by_label("裝置名稱").fill("我的手機")
    page.get_by_label("裝置名稱").press("Enter")  # the keyboard submits the form
    expect(page.get_by_role("heading", name="行動裝置管理作業")).to_be_visible(
        timeout=WEBAUTHN_TIMEOUT
    )
    expect(page.get_by_role("status").first).to_contain_text("已綁定行動裝置「我的手機」")
    expect(page.get_by_role("rowheader", name="我的手機")).to_be_visible()
    assert Device.objects.get().transports == ["internal"]

    page.get_by_role("button", name="登出").click()
    expect(page.get_by_text("您已登出")).to_be_visible()

    # Older browsers: no WebAuthn JSON helpers, so the page decodes and encodes base64url itself.
    page.add_init_script(
        "delete PublicKeyCredential.parseRequestOptionsFromJSON;"
        "delete PublicKeyCredential.prototype.toJSON;"
    )
    sign_in_with_passkey(page, live_server)
    expect(page.get_by_role("heading", name="服務項目")).to_be_visible(timeout=WEBAUTHN_TIMEOUT)
    expect(page.get_by_role("main")).to_contain_text("陳美玲")
    assert Device.objects.get().last_used_at is not None

    page.goto(f"{live_server.url}/account/services/change-password")
    expect(page.get_by_role("heading", name="需以健保卡登入")).to_be_visible()
    page.goto(f"{live_server.url}/account/devices/")
    expect(page.get_by_role("heading", name="需以健保卡登入")).to_be_visible()

    page.get_by_role("button", name="登出").click()
    log_in_with_card(page, live_server, holder)
    page.get_by_role("link", name="行動裝置管理作業").click()
    page.get_by_role("link", name="移除「我的手機」").click()
    expect(page.get_by_text("確定要移除「我的手機」嗎")).to_be_visible()
    page.get_by_role("button", name="確定移除").click()
    expect(page.get_by_role("status").first).to_contain_text("已移除行動裝置「我的手機」")
    expect(page.get_by_text("您尚未綁定任何行動裝置")).to_be_visible()

    page.get_by_role("button", name="登出").click()
    sign_in_with_passkey(page, live_server)
    expect(page.locator("#device-status")).to_have_text(REFUSED, timeout=WEBAUTHN_TIMEOUT)
    expect(page.locator("#device-status")).to_have_class("notice error")
    expect(page.get_by_role("heading", name="以行動裝置登入")).to_be_visible()


def test_a_browser_without_passkeys_is_told_so(page: Page, live_server: Any, db: None) -> None:
    page.add_init_script("delete window.PublicKeyCredential;")
    page.goto(f"{live_server.url}/account/devices/signin")
    expect(page.locator("#device-status")).to_contain_text("不支援通行密鑰")
    expect(page.get_by_role("button", name="以行動裝置登入")).to_be_disabled()
