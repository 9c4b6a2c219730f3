"""Form errors a screen reader and a hurried user can follow, as Chromium's accessibility tree
has them: after a failed submit the focus is on a summary whose entries link to the fields,
each invalid field is marked invalid and described by its own message, and what the user typed
is still there (the passwords too, unless they were the problem)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cardreg.accounts.tests.conftest import DemoSite

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Tw!2026strong"
MOBILE_ADVICE = "行動電話應以09開頭，共10碼，例如 0912345678。您是不是要輸入 0912345678？"
EMAIL_INVALID = "E-Mail格式不正確，例如 name@example.com。"


def walk_to_details(page: Page, demo_site: DemoSite) -> None:
    person = demo_site.people[3]
    demo_site.agent.set_slot(person.card_number)
    page.goto(f"{demo_site.url}/account/register")
    page.get_by_label("我已閱讀完畢，並瞭解相關規定").check()
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="讀取健保卡並繼續").click()
    page.get_by_label("戶號").fill(person.household_no)
    page.get_by_label("縣市").select_option(person.county)
    township = page.get_by_label("鄉鎮市區")
    expect(township.locator("option", has_text=person.township)).to_be_attached()
    township.select_option(person.township)
    village = page.get_by_label("村里")
    expect(village.locator("option", has_text=person.village)).to_be_attached()
    village.select_option(person.village)
    page.get_by_label("鄰").fill(str(person.neighbourhood))
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="註冊資料")).to_be_visible()


def ax_node(page: Page, role: str, name: str) -> dict[str, Any]:
    """The node of Chromium's own accessibility tree (CDP) with this role and accessible name."""
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    found = [
        node
        for node in tree["nodes"]
        if node.get("role", {}).get("value") == role and node.get("name", {}).get("value") == name
    ]
    assert len(found) == 1, (role, name, len(found))
    node: dict[str, Any] = found[0]
    return node


def ax_property(node: dict[str, Any], name: str) -> object:
    values = [p["value"].get("value") for p in node.get("properties", []) if p["name"] == name]
    return values[0] if values else None


def test_a_failed_submit_focuses_a_summary_of_invalid_described_fields(
    page: Page, demo_site: DemoSite
) -> None:
    walk_to_details(page, demo_site)
    page.get_by_label("請輸入註冊密碼").fill(PASSWORD)
    page.get_by_label("再次確認密碼").fill(PASSWORD)
    page.get_by_label("行動電話").fill("912345678")
    page.get_by_label("E-Mail(主要)").fill("nana@")
    page.get_by_role("button", name="確認申請").click()

    summary = page.get_by_role("alert", name="請修正以下問題")
    expect(summary).to_be_focused()
    expect(summary).to_match_aria_snapshot(
        f"""
        - alert "請修正以下問題":
          - heading "請修正以下問題" [level=2]
          - list:
            - listitem:
              - link "行動電話：{MOBILE_ADVICE}"
            - listitem:
              - link "主要E-Mail：{EMAIL_INVALID}"
        """
    )

    mobile = ax_node(page, "textbox", "★行動電話")
    assert ax_property(mobile, "invalid") == "true"
    assert MOBILE_ADVICE in str(mobile["description"]["value"])
    assert "本項行動電話將作為未來行動裝置之認證使用" in str(mobile["description"]["value"])
    email = ax_node(page, "textbox", "★E-Mail(主要)")
    assert ax_property(email, "invalid") == "true"
    assert EMAIL_INVALID in str(email["description"]["value"])
    assert ax_property(ax_node(page, "textbox", "E-Mail(備用)"), "invalid") in (None, "false")

    summary.get_by_role("link", name="行動電話").click()
    expect(page.get_by_label("行動電話")).to_be_focused()
    # What was typed is kept, the passwords too: they were not the problem.
    expect(page.get_by_label("行動電話")).to_have_value("912345678")
    expect(page.get_by_label("E-Mail(主要)")).to_have_value("nana@")
    expect(page.get_by_label("請輸入註冊密碼")).to_have_value(PASSWORD)
    expect(page.get_by_label("再次確認密碼")).to_have_value(PASSWORD)

    page.get_by_label("行動電話").fill("0912345678")
    page.get_by_label("E-Mail(主要)").fill("nana@example.tw")
    page.get_by_label("再次確認密碼").fill(PASSWORD + "x")
    page.get_by_role("button", name="確認申請").click()

    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["再次確認密碼：兩次輸入的註冊密碼不一致，請重新輸入。"]
    )
    confirm = ax_node(page, "textbox", "★再次確認密碼")
    assert ax_property(confirm, "invalid") == "true"
    # The passwords were the problem: both are to be typed again; the rest stays.
    expect(page.get_by_label("請輸入註冊密碼")).to_have_value("")
    expect(page.get_by_label("再次確認密碼")).to_have_value("")
    expect(page.get_by_label("行動電話")).to_have_value("0912345678")
