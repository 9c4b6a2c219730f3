"""Enter in a card form does what its button does: read and prove the card, then submit. A
form is never posted without the card proof (both login pages, and the reset page's two
password fields, where Enter did nothing at all)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Request, expect

from cardreg.accounts.tests.conftest import DemoSite, active_demo_account, mailed_token
from cardreg.mail.delivery import deliver_due

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Tw!2026strong"
LOGIN_PAGES = [
    ("/", "/account/login", "/account/services"),
    ("/employer/login", "/employer/login", "/employer/"),
]


def posts_to(page: Page) -> list[str]:
    """The paths (or the agent's URLs) the page POSTs to, in order."""
    sent: list[str] = []

    def note(request: Request) -> None:
        if request.method == "POST":
            sent.append(re.sub(r"^http://127\.0\.0\.1:\d+|^http://localhost:\d+", "", request.url))

    page.on("request", note)
    return sent


@pytest.mark.parametrize(("path", "form_action", "landing"), LOGIN_PAGES)
def test_enter_in_the_password_field_reads_the_card_and_logs_in(
    page: Page, demo_site: DemoSite, path: str, form_action: str, landing: str
) -> None:
    person = demo_site.people[1]
    active_demo_account(person)
    demo_site.agent.set_slot(person.card_number)
    page.goto(f"{demo_site.url}{path}")
    expect(page.get_by_role("button", name="登入", exact=True)).to_be_enabled()
    sent = posts_to(page)
    page.get_by_label("註冊密碼").fill(PASSWORD)
    page.get_by_label("註冊密碼").press("Enter")
    page.wait_for_url(f"**{landing}")
    assert "/cards/verify" in sent
    assert sent.index(form_action) > sent.index("/cards/verify")  # the proof came first
    assert sent.count(form_action) == 1


@pytest.mark.parametrize(("path", "form_action", "landing"), LOGIN_PAGES)
def test_without_a_card_enter_posts_nothing_and_keeps_the_password(
    page: Page, demo_site: DemoSite, path: str, form_action: str, landing: str
) -> None:
    active_demo_account(demo_site.people[1])
    demo_site.agent.set_slot(None)
    page.goto(f"{demo_site.url}{path}")
    expect(page.get_by_role("button", name="登入", exact=True)).to_be_enabled()
    sent = posts_to(page)
    page.get_by_label("註冊密碼").fill(PASSWORD)
    page.get_by_label("註冊密碼").press("Enter")
    expect(page.locator("#card-output")).to_have_class("notice error")
    expect(page.get_by_role("button", name="登入", exact=True)).to_be_enabled()
    assert form_action not in sent
    expect(page.get_by_label("註冊密碼")).to_have_value(PASSWORD)


def test_a_wrong_password_is_summarised_and_emptied(page: Page, demo_site: DemoSite) -> None:
    person = demo_site.people[1]
    active_demo_account(person)
    demo_site.agent.set_slot(person.card_number)
    page.goto(f"{demo_site.url}/")
    expect(page.get_by_role("button", name="登入", exact=True)).to_be_enabled()
    page.get_by_label("註冊密碼").fill("Wrong!pass1")
    page.get_by_label("註冊密碼").press("Enter")
    summary = page.get_by_role("alert", name="請修正以下問題")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text("登入失敗：註冊密碼錯誤，或此健保卡尚未註冊。")
    expect(page.get_by_label("註冊密碼")).to_have_value("")
    summary.get_by_role("link").click()
    expect(page.get_by_label("註冊密碼")).to_be_focused()


def test_enter_on_the_reset_page_reads_the_card_and_resets(page: Page, demo_site: DemoSite) -> None:
    person = demo_site.people[1]
    active_demo_account(person)
    demo_site.agent.set_slot(person.card_number)
    page.goto(f"{demo_site.url}/account/forgot")
    page.get_by_role("button", name="讀取健保卡並寄出重設連結").click()
    expect(page.locator("#done")).to_contain_text("重設註冊密碼的連結已寄到")
    deliver_due()
    page.goto(f"{demo_site.url}/account/reset#{mailed_token('/account/reset')}")
    expect(page.get_by_role("button", name="讀取健保卡並重設密碼")).to_be_enabled()
    page.get_by_label("請輸入新的註冊密碼").fill("New!pass2026")
    page.get_by_label("再次確認密碼").fill("New!pass2026")
    page.get_by_label("再次確認密碼").press("Enter")
    expect(page.locator("#done")).to_contain_text("註冊密碼已重設")
