"""Browser: arrowing through 縣市 or 鄉鎮市區 fills the next list from the current choice only."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, Route, expect

from cardreg.accounts.tests.conftest import DemoSite

pytestmark = pytest.mark.django_db(transaction=True)
TOWNSHIPS = re.compile(r"/registry/townships\?")
VILLAGES = re.compile(r"/registry/villages\?")


def open_household_step(page: Page, demo_site: DemoSite) -> None:
    demo_site.agent.set_slot(demo_site.people[3].card_number)
    page.goto(f"{demo_site.url}/account/register")
    page.get_by_label("我已閱讀完畢，並瞭解相關規定").check()
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="讀取健保卡並繼續").click()
    expect(page.get_by_role("heading", name="戶籍資料")).to_be_visible()
    page.wait_for_load_state()  # cascade.js (deferred) listens from now on


def hold_first_answer(page: Page, url: re.Pattern[str]) -> list[Route]:
    """The first request to ``url`` waits until the test lets it go: its answer comes last."""
    held: list[Route] = []

    def handle(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(url, handle)
    return held


def arrow_down_twice(page: Page, label: str) -> None:
    page.get_by_label(label, exact=True).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # without waiting for the first choice's list


def answer_late(page: Page, held: list[Route], url: re.Pattern[str], first_choice: str) -> None:
    """Let the stale answer (to the first choice) through; give the page time to read it."""
    assert len(held) == 1 and quote(first_choice) in held[0].request.url
    with page.expect_response(url):
        held[0].continue_()
    page.evaluate("() => new Promise(resolve => setTimeout(resolve, 200))")
    page.unroute(url)


def test_arrowing_through_counties_and_townships_lists_only_the_last_choices(
    page: Page, demo_site: DemoSite
) -> None:
    open_household_step(page, demo_site)
    county = page.get_by_label("縣市", exact=True)
    townships = page.get_by_label("鄉鎮市區").locator("option")
    villages = page.get_by_label("村里").locator("option")

    held = hold_first_answer(page, TOWNSHIPS)
    arrow_down_twice(page, "縣市")  # 臺北市, then 新北市
    expect(county).to_have_value("新北市")
    expect(townships).to_have_text(["請選擇", "板橋區"])
    answer_late(page, held, TOWNSHIPS, "臺北市")  # 臺北市's 大安區 and 中正區
    expect(townships).to_have_text(["請選擇", "板橋區"])

    county.select_option("臺北市")
    expect(townships).to_have_text(["請選擇", "大安區", "中正區"])
    held = hold_first_answer(page, VILLAGES)
    arrow_down_twice(page, "鄉鎮市區")  # 大安區, then 中正區
    expect(page.get_by_label("鄉鎮市區")).to_have_value("中正區")
    taipei_zhongzheng = ["請選擇", "建國里", "光復里", "黎明里", "東門里", "南門里"]
    expect(villages).to_have_text(taipei_zhongzheng)
    answer_late(page, held, VILLAGES, "大安區")  # 大安區's 錦安里, 龍安里, 古莊里
    expect(villages).to_have_text(taipei_zhongzheng)
