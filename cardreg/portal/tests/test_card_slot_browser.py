"""Browser journey, demo: the virtual reader's card slot (the card agent's own page, here on a
phone-sized screen) → insert a demo card with its button → the environment check reads that card
→ remove it again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cardreg.cards.testing import RunningAgent
from cardreg.portal.demo_load import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_card_inserted_on_the_slot_page_is_read_by_the_portal(
    page: Page,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    agent_factory: Callable[[Path, str], RunningAgent],
) -> None:
    wallet = tmp_path / "wallet.json"
    holder = load_demo(wallet)[1]  # 林堃喆
    agent = agent_factory(wallet, live_server.url)
    agent.set_slot(None)
    settings.CARDREG_AGENT_URL = agent.url

    page.set_viewport_size({"width": 320, "height": 800})  # a phone beside the computer
    page.goto(f"{agent.url}/")
    state = page.get_by_role("status")
    expect(state).to_have_text("讀卡機裡現在沒有卡片。 The reader is now empty.")
    # The wide table scrolls in its own box; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # A screen reader hears whose card each button moves; the eye reads the row.
    page.get_by_role("button", name=f"插入 Insert {holder.name}", exact=True).click()
    expect(state).to_contain_text(f"讀卡機裡現在是{holder.name}的卡片。")

    page.goto(f"{live_server.url}/environment-check")
    expect(page.locator('tr[data-item="proof"]')).to_have_attribute("data-state", "ok")
    expect(page.locator('tr[data-item="proof"] .state')).to_contain_text(
        f"林○喆({holder.national_id[:6]}****)"
    )

    page.goto(f"{agent.url}/")
    page.get_by_role("button", name=f"取出 Remove {holder.name}", exact=True).click()
    expect(state).to_have_text("讀卡機裡現在沒有卡片。 The reader is now empty.")
