"""Browser journey: an employer's batch upload → the registrant's mail in the demo mailbox → 健保卡
註冊認證作業 (card + own password) → 認證完成 → log in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cardreg.accounts.tests.conftest import DemoSite
from cardreg.employers import processing
from cardreg.employers.models import InsuranceUnit
from cardreg.employers.testing import csv_bytes, submitted_batch
from cardreg.mail.delivery import deliver_due
from cardreg.portal.demo import DEMO_UNIT_CODE

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Tw!2026strong"


def test_a_batch_registrant_activates_with_his_card_and_logs_in(
    page: Page, demo_site: DemoSite
) -> None:
    person = demo_site.people[1]  # 林堃喆, insured by the demo unit
    unit = InsuranceUnit.objects.get(code=DEMO_UNIT_CODE)
    row = (person.national_id, "lin@example.tw", "0912345678", "")
    submitted_batch(unit, csv_bytes([row]))
    processing.process_next()  # what the worker does
    deliver_due()
    demo_site.agent.set_slot(person.card_number)

    page.goto(f"{demo_site.url}/mail/demo/")
    page.get_by_role("main").get_by_role("link", name=re.compile("註冊成功")).first.click()
    link = page.locator("#links").get_by_role("link", name="健保卡註冊認證作業")
    page.goto(str(link.get_attribute("href")))
    assert "#" not in page.url  # the token left the address bar
    expect(page.get_by_role("heading", name="健保卡註冊認證作業")).to_be_visible()
    page.get_by_label("請輸入註冊密碼").fill(PASSWORD)
    expect(page.locator("#strength strong")).to_have_text("強")
    page.get_by_label("再次確認密碼").fill(PASSWORD)
    page.get_by_role("button", name="讀取健保卡並完成認證").click()
    expect(page.locator("#done")).to_contain_text("認證完成")
    expect(page.get_by_role("button", name="登出")).to_have_count(0)  # not logged in by the link

    page.get_by_role("link", name="回登入頁").click()
    page.get_by_label("註冊密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_role("heading", name="服務項目")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("林堃喆")
