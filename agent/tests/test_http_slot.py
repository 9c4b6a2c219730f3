"""The virtual reader's card slot: page, insert, remove, switch; virtual mode only."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cardagent.readers import PcscReader
from cardagent.testing import TEST_ORIGIN, AgentClient
from cardagent.virtual import load_wallet


def slot_origin(agent: AgentClient) -> str:
    return f"http://127.0.0.1:{agent.port}"


def test_slot_page_lists_cards_masked(agent: AgentClient) -> None:
    answer = agent.get("/", origin=None)
    assert answer.status == 200
    assert answer.header("Content-Type") == "text/html; charset=utf-8"
    page = answer.body
    assert '<html lang="zh-Hant">' in page
    assert "0000****5678" in page and "王小明" in page and "A12345****" in page
    assert "林堃喆" in page and "B12345****" in page
    assert "A123456789" not in page and "B123456780" not in page
    assert "插入" in page and "Insert" in page


def test_slot_page_chinese_has_full_width_punctuation_and_no_stray_space(
    agent: AgentClient,
) -> None:
    page = agent.get("/", origin=None).body
    assert "無法連到讀卡程式，請確認它還在執行。" in page
    # A line break after ， shows as a space in the browser, like any space there.
    assert re.findall(r"[，。：；]\s+[\u4e00-\u9fff]", page) == []
    assert re.findall(r"[\u4e00-\u9fff][,:;][\u4e00-\u9fff]", page) == []


def test_slot_page_is_locked_down(agent: AgentClient) -> None:
    answer = agent.get("/slot", origin=None)
    csp = answer.header("Content-Security-Policy") or ""
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'sha256-" in csp and "unsafe-inline" not in csp
    assert answer.header("X-Frame-Options") == "DENY"


def test_slot_insert_remove_and_switch(agent: AgentClient, wallet_path: Path) -> None:
    origin = slot_origin(agent)
    removed = agent.post("/v1/slot", {"card_number": None}, origin=origin)
    assert removed.status == 200 and removed.body["inserted"] is None
    assert agent.get("/v1/card").body["code"] == "8013"

    inserted = agent.post("/v1/slot", {"card_number": "000087654321"}, origin=origin)
    assert inserted.body["inserted"] == "000087654321"
    assert agent.get("/v1/card").body["name"] == "林堃喆"

    switched = agent.post("/v1/slot", {"card_number": "000012345678"}, origin=origin)
    assert switched.body["inserted"] == "000012345678"
    assert agent.get("/v1/card").body["name"] == "王小明"
    assert load_wallet(wallet_path).inserted == "000012345678"  # persisted


def test_slot_state_lists_masked_cards(agent: AgentClient) -> None:
    body = agent.get("/v1/slot", origin=slot_origin(agent)).body
    assert body["inserted"] == "000012345678"
    first = body["cards"][0]
    assert first == {
        "card_number": "000012345678",
        "card_number_masked": "0000****5678",
        "name": "王小明",
        "national_id_masked": "A12345****",
        "can_sign": True,
    }
    assert body["cards"][2]["can_sign"] is False


def test_slot_from_localhost_origin_and_from_the_portal(agent: AgentClient) -> None:
    localhost = f"http://localhost:{agent.port}"
    answer = agent.post("/v1/slot", {"card_number": None}, origin=localhost)
    assert answer.status == 200
    assert answer.header("Access-Control-Allow-Origin") == localhost
    assert agent.post("/v1/slot", {"card_number": None}, origin=TEST_ORIGIN).status == 200


def test_slot_origin_may_not_read_or_sign(agent: AgentClient) -> None:
    assert agent.get("/v1/card", origin=slot_origin(agent)).status == 403
    body = {"challenge": "c" * 20, "origin": slot_origin(agent)}
    assert agent.post("/v1/sign", body, origin=slot_origin(agent)).status == 403


def test_get_never_changes_the_slot(agent: AgentClient, wallet_path: Path) -> None:
    before = wallet_path.read_bytes(), wallet_path.stat().st_mtime_ns
    for path in (
        "/v1/slot?card_number=000087654321",
        "/?card_number=",
        "/slot",
        "/v1/card",
        "/v1/status",
    ):
        agent.get(path, origin=None)
    assert (wallet_path.read_bytes(), wallet_path.stat().st_mtime_ns) == before


def test_unknown_card_is_409(agent: AgentClient) -> None:
    answer = agent.post("/v1/slot", {"card_number": "999999999999"}, origin=slot_origin(agent))
    assert answer.status == 409
    assert answer.body["code"] == "4011"


def test_slot_post_needs_card_number(agent: AgentClient) -> None:
    for body in ({}, {"card_number": 5}):
        answer = agent.post("/v1/slot", body, origin=slot_origin(agent))
        assert answer.status == 400
        assert answer.body["code"] == "4001"


def test_slot_post_needs_an_origin(agent: AgentClient) -> None:
    answer = agent.post("/v1/slot", {"card_number": None}, origin=None)
    assert answer.status == 403


def test_slot_does_not_exist_in_pcsc_mode(serve_agent: Callable[..., AgentClient]) -> None:
    client = serve_agent(PcscReader())
    for answer in (
        client.get("/", origin=None),
        client.get("/v1/slot", origin=None),
        client.post("/v1/slot", {"card_number": None}, origin=f"http://127.0.0.1:{client.port}"),
    ):
        assert answer.status == 404
        assert answer.body["code"] == "4010"
