"""The layout and the environment-check page as the server renders them."""

from __future__ import annotations

import json

from django.test import Client


def test_home_page_has_agency_skip_link_and_toll_free_number(db: None) -> None:
    page = Client().get("/").content.decode()
    assert "衛生福利部中央健康保險署" in page
    assert 'href="#main"' in page
    assert "0800-030598" in page
    assert 'lang="zh-Hant-TW"' in page


def test_language_switch_turns_the_page_english(db: None) -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "National Health Insurance Administration" in page
    assert "Environment check" in page


def test_environment_check_lists_each_item_with_recommended_and_current(db: None) -> None:
    page = Client().get("/environment-check").content.decode()
    for heading in ("序號", "設定/調整項目", "建議設定", "您目前的設定", "目前您的電腦環境狀態"):
        assert heading in page
    for item in ("browser", "agent", "reader", "card", "proof"):
        assert f'data-item="{item}"' in page


def test_environment_check_tells_the_script_where_the_agent_is(db: None, settings: object) -> None:
    settings.CARDREG_AGENT_URL = "http://127.0.0.1:7999"  # type: ignore[attr-defined]
    page = Client().get("/environment-check").content.decode()
    raw = page.split('id="cardproof-config" type="application/json">')[1].split("</script>")[0]
    config = json.loads(raw)
    assert config["agentUrl"] == "http://127.0.0.1:7999"
    assert config["challengeUrl"] == "/cards/challenge"
    assert "8013" not in config["texts"]["cardFix"]  # the 8013 text itself comes from the agent


def test_demo_people_page_exists_only_in_demo_mode(db: None, settings: object) -> None:
    assert Client().get("/demo/people").status_code == 404
    settings.CARDREG_DEMO = True  # type: ignore[attr-defined]
    page = Client().get("/demo/people").content.decode()
    assert "歐陽娜娜" in page
    assert "H3012001" in page


def test_setup_guide_explains_each_operating_system(db: None) -> None:
    page = Client().get("/setup-guide").content.decode()
    for heading in ('id="windows"', 'id="macos"', 'id="linux"'):
        assert heading in page
    assert "Smart Card" in page
    assert 'id="download"' in page  # the agent's downloads and their steps: test_agent_download
    assert 'href="/environment-check"' in page


def test_pages_carry_a_content_security_policy(db: None, settings: object) -> None:
    policy = Client().get("/environment-check")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "connect-src 'self' http://127.0.0.1:7777" in policy


def test_pages_are_not_cached_but_static_files_are(db: None) -> None:
    assert Client().get("/")["Cache-Control"] == "no-store"
    stylesheet = Client().get("/static/css/site.css")
    assert stylesheet.status_code == 200
    assert "no-store" not in stylesheet["Cache-Control"]
