"""Browser journey: 忘記註冊密碼 → demo mailbox → the link → card again + new password → log in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cardreg.accounts.tests.conftest import DemoSite, active_demo_account
from cardreg.mail.delivery import deliver_due

pytestmark = pytest.mark.django_db(transaction=True)
OLD = "Tw!2026strong"
NEW = "New!pass2026"


def log_in(page: Page, base_url: str, password: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("註冊密碼").fill(password)
    page.get_by_role("button", name="登入").click()


def test_forgot_the_password_and_set_a_new_one_with_the_card(
    page: Page, demo_site: DemoSite
) -> None:
    person = demo_site.people[1]  # 林堃喆: a name only Big5-HKSCS can write
    active_demo_account(person, OLD)
    demo_site.agent.set_slot(person.card_number)

    page.goto(f"{demo_site.url}/")
    page.get_by_role("link", name="忘記註冊密碼").click()
    page.get_by_role("button", name="讀取健保卡並寄出重設連結").click()
    expect(page.locator("#done")).to_contain_text("重設註冊密碼的連結已寄到")

    deliver_due()  # what the worker does
    page.goto(f"{demo_site.url}/mail/demo/")
    page.get_by_role("main").get_by_role("link", name=re.compile("重設註冊密碼")).first.click()
    link = page.locator("#links").get_by_role("link", name="重設註冊密碼")
    page.goto(str(link.get_attribute("href")))
    assert "#" not in page.url  # the token left the address bar
    page.get_by_label("請輸入新的註冊密碼").fill(NEW)
    expect(page.locator("#strength strong")).to_have_text("強")
    page.get_by_label("再次確認密碼").fill(NEW)
    page.get_by_role("button", name="讀取健保卡並重設密碼").click()
    expect(page.locator("#done")).to_contain_text("註冊密碼已重設")
    expect(page.get_by_role("button", name="登出")).to_have_count(0)  # not logged in by the link

    log_in(page, demo_site.url, OLD)
    expect(page.locator("#error-summary")).to_contain_text("登入失敗")
    log_in(page, demo_site.url, NEW)
    expect(page.get_by_role("heading", name="服務項目")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("林堃喆")
