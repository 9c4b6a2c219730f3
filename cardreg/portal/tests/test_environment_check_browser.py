"""Browser journey: the environment check reads and verifies a virtual card through the agent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cardreg.cards.testing import RunningAgent
from cardreg.portal.demo_load import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def open_check(page: Page, live_server: Any, settings: Any, agent_url: str) -> None:
    settings.CARDREG_AGENT_URL = agent_url
    page.goto(f"{live_server.url}/environment-check")


def state(page: Page, item: str) -> Any:
    return page.locator(f'tr[data-item="{item}"] .state')


def test_card_is_read_and_verified_then_removal_shows_8013(
    page: Page,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    agent_factory: Callable[[Path, str], RunningAgent],
) -> None:
    wallet = tmp_path / "wallet.json"
    people = load_demo(wallet)
    holder = people[1]  # 林堃喆: a Big5-HKSCS-only name
    agent = agent_factory(wallet, live_server.url)
    agent.set_slot(holder.card_number)

    open_check(page, live_server, settings, agent.url)

    expect(page.locator('tr[data-item="proof"]')).to_have_attribute("data-state", "ok")
    expect(state(page, "agent")).to_contain_text("已啟動，版本 0.1.0")
    expect(state(page, "card")).to_contain_text("已插入")
    expect(state(page, "proof")).to_contain_text(f"林○喆({holder.national_id[:6]}****)")
    assert holder.national_id not in page.content()
    expect(page.locator("#check-summary")).to_contain_text("符合需求")

    agent.set_slot(None)
    page.get_by_role("button", name="重新檢測").click()
    expect(page.locator('tr[data-item="card"]')).to_have_attribute("data-state", "bad")
    expect(state(page, "card")).to_contain_text("[8013]")
    expect(state(page, "card")).to_contain_text("無法存取健保卡")
    expect(state(page, "proof")).to_contain_text("尚未檢測")


def test_a_lost_card_is_refused_on_the_page(
    page: Page,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    agent_factory: Callable[[Path, str], RunningAgent],
) -> None:
    wallet = tmp_path / "wallet.json"
    lost = next(p for p in load_demo(wallet) if p.card_status == "lost")
    agent = agent_factory(wallet, live_server.url)
    agent.set_slot(lost.card_number)
    open_check(page, live_server, settings, agent.url)
    expect(page.locator('tr[data-item="proof"]')).to_have_attribute("data-state", "bad")
    expect(state(page, "proof")).to_contain_text("[9202]")


def test_no_agent_says_install_or_start_it(page: Page, live_server: Any, settings: Any) -> None:
    from cardreg.cards.testing import free_port

    open_check(page, live_server, settings, f"http://127.0.0.1:{free_port()}")
    expect(page.locator('tr[data-item="agent"]')).to_have_attribute("data-state", "bad")
    expect(state(page, "agent")).to_contain_text("找不到讀卡程式")
    # The fix is the one for this computer's operating system (the test browser runs on Linux).
    fix = page.locator('tr[data-item="agent"] .fix')
    expect(fix).to_contain_text("systemctl --user start cardagent")
    expect(state(page, "card")).to_contain_text("尚未檢測")


def test_the_check_speaks_english(
    page: Page,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    agent_factory: Callable[[Path, str], RunningAgent],
) -> None:
    wallet = tmp_path / "wallet.json"
    load_demo(wallet)
    agent = agent_factory(wallet, live_server.url)
    agent.set_slot(None)
    settings.CARDREG_AGENT_URL = agent.url
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="English").click()
    page.goto(f"{live_server.url}/environment-check")
    expect(page.locator('tr[data-item="card"]')).to_have_attribute("data-state", "bad")
    expect(state(page, "card")).to_contain_text("[8013]")
    expect(page.locator("#check-summary")).to_contain_text("Some items do not match")


def test_a_stopped_smart_card_service_is_named_with_its_fix(
    page: Page,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    agent_factory: Callable[..., RunningAgent],
) -> None:
    # The real PC/SC reader, pointed at a pcscd socket that does not exist: "pcscd not running".
    missing = {"PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")}
    agent = agent_factory(None, live_server.url, missing)
    open_check(page, live_server, settings, agent.url)
    expect(page.locator('tr[data-item="service"]')).to_have_attribute("data-state", "bad")
    expect(state(page, "service")).to_contain_text("[7001]")
    expect(page.locator('tr[data-item="service"] .fix')).to_contain_text("Smart Card")
    expect(state(page, "reader")).to_contain_text("尚未檢測")


def test_the_virtual_reader_needs_no_smart_card_service(
    page: Page,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    agent_factory: Callable[..., RunningAgent],
) -> None:
    wallet = tmp_path / "wallet.json"
    load_demo(wallet)
    agent = agent_factory(wallet, live_server.url)
    open_check(page, live_server, settings, agent.url)
    expect(page.locator('tr[data-item="service"]')).to_have_attribute("data-state", "ok")
    expect(state(page, "service")).to_contain_text("虛擬讀卡機")
