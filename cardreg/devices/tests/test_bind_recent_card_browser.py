"""Browser journey: a card login 20 minutes old opens 行動裝置認證 → the page asks for the card
again → the virtual reader's card is read → the passkey is bound."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from playwright.sync_api import Page, expect

from cardreg.accounts.middleware import LOGIN_AT
from cardreg.accounts.tests.conftest import DemoSite, active_demo_account
from cardreg.accounts.tests.conftest import demo_site as demo_site  # the fixture, re-exported
from cardreg.devices.models import Device
from cardreg.devices.tests.test_devices_browser import WEBAUTHN_TIMEOUT, add_virtual_phone

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Tw!2026strong"


def age_browser_login(page: Page, minutes: int) -> None:
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[LOGIN_AT] = (timezone.now() - dt.timedelta(minutes=minutes)).isoformat()
    session.save()


def test_a_stale_login_reads_the_card_again_before_binding(
    page: Page,
    demo_site: DemoSite,
) -> None:
    person = demo_site.people[1]
    active_demo_account(person)
    demo_site.agent.set_slot(person.card_number)
    add_virtual_phone(page)
    page.goto(f"{demo_site.url}/account/login")
    page.get_by_label("註冊密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入", exact=True).click()
    expect(page.get_by_role("heading", name="服務項目")).to_be_visible()

    age_browser_login(page, 20)
    page.get_by_role("link", name="行動裝置認證").click()
    expect(page.get_by_role("heading", name="行動裝置認證")).to_be_visible()
    expect(page.locator("#card-again")).to_contain_text("綁定行動裝置前請再讀取一次健保卡")
    expect(page.get_by_label("裝置名稱")).to_have_count(0)

    page.get_by_role("button", name="讀取健保卡並繼續").click()
    expect(page.get_by_role("button", name="綁定此裝置")).to_be_enabled()
    page.get_by_label("裝置名稱").fill("我的手機")
    page.get_by_role("button", name="綁定此裝置").click()
    expect(page.get_by_role("heading", name="行動裝置管理作業")).to_be_visible(
        timeout=WEBAUTHN_TIMEOUT
    )
    assert Device.objects.get().name == "我的手機"
