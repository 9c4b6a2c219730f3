"""Browser journey: register → demo mailbox → confirm with the card → log in → log out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cardreg.accounts.passwords import strength
from cardreg.accounts.tests.conftest import DemoSite
from cardreg.accounts.tests.test_passwords import STRENGTH_CASES
from cardreg.mail.delivery import deliver_due

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Tw!2026strong"


def test_register_confirm_and_log_in_with_a_virtual_card(page: Page, demo_site: DemoSite) -> None:
    person = demo_site.people[3]  # 歐陽娜娜: a four-character name
    demo_site.agent.set_slot(person.card_number)

    page.goto(f"{demo_site.url}/")
    page.get_by_role("link", name="首次登入請先申請").click()
    page.get_by_label("我已閱讀完畢，並瞭解相關規定").check()
    page.get_by_role("button", name="下一步").click()

    page.get_by_role("button", name="讀取健保卡並繼續").click()
    expect(page.get_by_role("heading", name="戶籍資料")).to_be_visible()
    page.get_by_label("戶號").fill(person.household_no)
    page.get_by_label("縣市").select_option(person.county)
    expect(
        page.get_by_label("鄉鎮市區").locator("option", has_text=person.township)
    ).to_be_attached()
    page.get_by_label("鄉鎮市區").select_option(person.township)
    expect(page.get_by_label("村里").locator("option", has_text=person.village)).to_be_attached()
    page.get_by_label("村里").select_option(person.village)
    page.get_by_label("鄰").fill(str(person.neighbourhood))
    page.get_by_role("button", name="下一步").click()

    expect(page.get_by_role("heading", name="註冊資料")).to_be_visible()
    # The browser's meter and the server's policy agree on every sample.
    # A function, not an expression: polling an expression needs eval, which the CSP forbids.
    page.wait_for_function("() => typeof window.passwordStrength === 'function'")
    levels = page.evaluate(
        "cases => cases.map(p => window.passwordStrength(p))", [p for p, _ in STRENGTH_CASES]
    )
    assert levels == [int(strength(p)) for p, _ in STRENGTH_CASES]
    page.get_by_label("請輸入註冊密碼").fill(PASSWORD)
    expect(page.locator("#strength strong")).to_have_text("強")
    page.get_by_label("再次確認密碼").fill(PASSWORD)
    page.get_by_label("行動電話").fill("0912345678")
    page.get_by_label("E-Mail(主要)").fill("nana@example.tw")
    page.get_by_role("button", name="確認申請").click()
    expect(page.locator("#submitted")).to_contain_text("您已完成申請")
    page.reload()  # asks for the done page again, not the form a second time
    expect(page.locator("#submitted")).to_contain_text("您已完成申請")

    deliver_due()  # what the worker does
    page.goto(f"{demo_site.url}/mail/demo/")
    page.get_by_role("main").get_by_role("link", name=re.compile("認證")).first.click()
    link = page.locator("#links").get_by_role("link", name="進入電子信箱認證畫面")
    page.goto(str(link.get_attribute("href")))
    assert "#" not in page.url  # the token left the address bar
    page.get_by_role("button", name="讀取健保卡並完成認證").click()
    expect(page.locator("#confirmed")).to_contain_text("電子信箱認證成功")

    page.get_by_role("link", name="前往登入").click()
    page.get_by_label("註冊密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_role("heading", name="服務項目")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("歐陽娜娜")
    page.get_by_role("button", name="登出").click()
    expect(page.get_by_text("您已登出")).to_be_visible()
