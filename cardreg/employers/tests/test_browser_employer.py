"""Browser journey, 投保單位整批註冊: the administrator logs in with card + password and grants a
clerk a role (角色管理) → the clerk logs in, uploads a CP950 CSV, previews it, 確認送出 → the
status page follows the processing by itself → the history lists it → the log downloads → a
registrant opens his mail's link, proves his card, sets his own password and logs in.
The real card agent with a virtual reader holds the cards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from cardreg.accounts.models import Account, AccountStatus
from cardreg.cards.models import Person
from cardreg.cards.testing import RunningAgent
from cardreg.employers import processing
from cardreg.employers.actions import provision_unit
from cardreg.employers.models import InsuranceUnit
from cardreg.employers.testing import (
    add_people,
    add_roster,
    batch_rows,
    csv_bytes,
    file_name,
    national_ids,
)
from cardreg.lib.masking import mask_national_id
from cardreg.mail.models import OutboxMessage
from cardreg.portal.demo import DEMO_UNIT_CODE, DEMO_UNIT_NAME, DemoPerson
from cardreg.portal.demo_load import load_demo

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Tw!2026strong"
REGISTRANT_PASSWORD = "Lin#2026health"
REGISTRANT_MAIL = "nana@example.tw"
TIMEOUT = 5_000  # ms
POLL_TIMEOUT = 10_000  # ms: the status page asks every 2 seconds


@dataclass
class Site:
    url: str
    agent: RunningAgent
    admin: DemoPerson
    clerk: DemoPerson
    registrant: DemoPerson  # insured by the demo unit, not registered yet
    unit: InsuranceUnit


def register(person: DemoPerson, email: str) -> None:
    Account.objects.create_user(
        person.national_id,
        PASSWORD,
        person=Person.objects.get(national_id=person.national_id),
        mobile="0912345678",
        email=email,
        status=AccountStatus.ACTIVE,
    )


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Path, agent_factory: Any) -> Site:
    wallet = tmp_path / "wallet.json"
    people = load_demo(wallet)
    agent = agent_factory(wallet, live_server.url)
    settings.CARDREG_MAIL_TRANSPORT = "demo"
    settings.CARDREG_AGENT_URL = agent.url
    settings.CARDREG_PUBLIC_URL = live_server.url
    admin, clerk = people[0], people[1]
    register(admin, "admin@example.tw")
    register(clerk, "clerk@example.tw")
    # The demo unit, administered by the first demo person (load_demo may have made it).
    unit = provision_unit(
        code=DEMO_UNIT_CODE, name=DEMO_UNIT_NAME, administrator_id=admin.national_id
    ).unit
    return Site(live_server.url, agent, admin, clerk, people[3], unit)


def log_in(page: Page, site: Site, person: DemoPerson) -> None:
    site.agent.set_slot(person.card_number)
    page.goto(f"{site.url}/employer/login")
    page.get_by_label("註冊密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入", exact=True).click()
    expect(page.get_by_role("heading", name="多憑證網路承保作業")).to_be_visible()
    page.get_by_role("link", name="133397421").click()


def employees_file(site: Site) -> bytes:
    """Three insured employees with cards (the first a demo person whose virtual card the agent
    holds) and one who is not insured, as Excel saves CSV."""
    ids = national_ids(3, letter="K")
    add_people(ids)
    add_roster(site.unit.code, ids[:2])
    registrant = (site.registrant.national_id, REGISTRANT_MAIL, "0911222333", "")
    return csv_bytes([registrant, *batch_rows(ids)], "cp950")


def test_admin_grants_a_role_and_the_clerk_uploads_a_batch(page: Page, site: Site) -> None:
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)

    # The administrator: 角色管理 → a role with both rights → granted to the clerk.
    log_in(page, site, site.admin)
    page.get_by_role("link", name="角色管理").click()
    page.get_by_role("link", name="新增角色").click()
    page.get_by_label("角色名稱").fill("人事承辦")
    page.get_by_label("說明").fill("人事室整批註冊")
    page.get_by_label("健保卡註冊上傳").check()
    page.get_by_label("健保卡註冊查詢").check()
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_role("main")).to_contain_text("角色「人事承辦」已儲存。")
    page.get_by_label("承辦人身分證號").fill(site.clerk.national_id)
    page.get_by_role("button", name="授予角色").click()
    masked = mask_national_id(site.clerk.national_id)
    expect(page.locator("#grants")).to_contain_text(masked)
    expect(page.locator("#grants")).to_contain_text(site.clerk.name)
    page.get_by_role("button", name="登出").click()

    # The clerk: upload → preview → 確認送出.
    log_in(page, site, site.clerk)
    page.get_by_role("link", name="健保卡註冊申請整批資料上傳").click()
    expect(page.locator("#unit-code")).to_have_text("133397421")
    expect(page.get_by_label("聯絡人", exact=True)).to_have_value(site.clerk.name)
    expect(page.get_by_label("聯絡人E-Mail")).to_have_value("clerk@example.tw")
    name = file_name(site.unit)
    expect(page.locator("#expected-name")).to_have_text(name)
    upload: FilePayload = {
        "name": name,
        "mimeType": "text/csv",
        "buffer": employees_file(site),
    }
    page.get_by_label("瀏覽檔案").set_input_files(files=[upload])
    page.get_by_role("button", name="上傳檔案").click()
    expect(page.locator("#preview-total")).to_have_text("4")
    expect(page.locator("#preview-failing")).to_have_text("1")
    expect(page.locator("#preview-rows")).to_contain_text("非該單位在保保險對象")
    page.get_by_role("button", name="確認送出").click()

    # The status page follows the background processing by itself.
    expect(page.locator("#status-label")).to_have_text("已上傳，等待入檔")
    expect(page.locator("#log-link")).to_be_hidden()
    expect(page.locator("#waiting-note")).to_contain_text("本頁會自動更新")
    assert processing.process_next() is not None  # what the worker does
    expect(page.locator("#status-label")).to_have_text("入檔完畢", timeout=POLL_TIMEOUT)
    expect(page.get_by_role("main")).not_to_contain_text("本頁會自動更新")
    expect(page.locator("#processed")).to_have_text("4")
    expect(page.locator("#succeeded")).to_have_text("3")
    expect(page.locator("#failed")).to_have_text("1")
    expect(page.locator("#log-link")).to_be_visible()

    # The history lists it; the log downloads from there.
    page.get_by_role("link", name="健保卡註冊申請上傳紀錄查詢").click()
    page.get_by_role("button", name="查詢").click()
    expect(page.locator("#history-summary")).to_have_text("【共1筆資料】【1/1頁】")
    row = page.locator("#history-table tbody tr")
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text(name)
    expect(cells.nth(1)).to_have_text(site.clerk.name)
    expect(cells.nth(3)).to_have_text("4")
    expect(cells.nth(4)).to_have_text("3")
    expect(cells.nth(5)).to_have_text("1")
    expect(cells.nth(6)).to_have_text("入檔完畢")
    expect(cells.nth(8)).to_have_text(site.clerk.name)
    with page.expect_download() as download_info:
        cells.nth(7).get_by_role("link").click()
    download = download_info.value
    assert download.suggested_filename.startswith(name.removesuffix(".CSV") + ".")
    assert download.suggested_filename.endswith(".log")
    lines = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 6
    assert all(f"第{n}筆資料: " in lines[n - 1] for n in range(1, 5))
    assert "註冊成功，已寄發認證信" in lines[0]
    assert "非該單位在保保險對象，不入檔!" in lines[3]
    assert lines[4].endswith("結束執行")
    assert lines[5].endswith("總共上傳4筆,成功註冊3筆,失敗1筆")

    # The registrant: the link in his mail → his card and his own password → he can log in.
    page.get_by_role("button", name="登出").click()
    mail = OutboxMessage.objects.get(template="batch_registration", recipient=REGISTRANT_MAIL)
    assert mail.subject == "健保卡網路服務-註冊成功"
    link = re.search(r"\S+/account/activate#\S+", mail.text)
    assert link is not None
    site.agent.set_slot(site.registrant.card_number)
    page.goto(link[0])
    expect(page.get_by_role("heading", name="健保卡註冊認證作業")).to_be_visible()
    page.get_by_label("請輸入註冊密碼").fill(REGISTRANT_PASSWORD)
    page.get_by_label("再次確認密碼").fill(REGISTRANT_PASSWORD)
    page.get_by_role("button", name="讀取健保卡並完成認證").click()
    expect(page.locator("#done")).to_contain_text("認證完成")
    page.goto(site.url)
    page.get_by_label("註冊密碼").fill(REGISTRANT_PASSWORD)
    page.get_by_role("button", name="登入", exact=True).click()
    expect(page.get_by_role("heading", name="服務項目")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(site.registrant.name)
