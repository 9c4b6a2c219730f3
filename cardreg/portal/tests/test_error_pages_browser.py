"""Browser journey: a mistyped address → the 404 page in the site's layout (audited by axe like
every journey page) → back home by keyboard; the same page in English at phone width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mistyped_address_leads_back_home_by_keyboard(page: Page, live_server: Any) -> None:
    response = page.goto(f"{live_server.url}/account/no-such-page")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("找不到這個網頁")
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("main")).to_be_visible()

    home = page.get_by_role("main").get_by_role("link", name="回健保卡網路服務註冊首頁")
    home.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("健保卡網路服務註冊")


def test_the_english_404_page_fits_a_phone(page: Page, live_server: Any) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/no-such-page")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
