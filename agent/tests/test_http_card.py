"""Status, card read and card proof through the agent's HTTP API (virtual reader)."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cardagent.codes import CardError, Code
from cardagent.proof import proof_message, verify_signature
from cardagent.readers import VirtualReader
from cardagent.testing import TEST_ORIGIN, AgentClient
from cardagent.virtual import Wallet

CHALLENGE = "q3V0n8S1o-hWlZ_Yc8m2uA9fXr4kTt7b"


def test_status_names_agent_reader_and_card(agent: AgentClient) -> None:
    answer = agent.get("/v1/status")
    assert answer.status == 200
    assert answer.body == {
        "agent": "cardagent",
        "version": "0.1.0",
        "reader_mode": "virtual",
        "readers": ["cardagent Virtual Reader 00"],
        "card_present": True,
    }


def test_status_after_removing_the_card(agent: AgentClient, wallet_path: Path) -> None:
    VirtualReader(wallet_path).insert(None)
    assert agent.get("/v1/status").body["card_present"] is False


class PcscDown:
    mode = "pcsc"

    def list_readers(self) -> list[str]:
        raise CardError(Code.PCSC_UNAVAILABLE, "SCardEstablishContext failed (0x8010001D)")

    def card_present(self) -> bool:
        raise AssertionError("not reached")

    @contextmanager
    def session(self) -> Iterator[Callable[[bytes], bytes]]:
        raise CardError(Code.PCSC_UNAVAILABLE)
        yield  # pragma: no cover


def test_status_still_answers_when_pcsc_is_down(serve_agent: Callable[..., AgentClient]) -> None:
    answer = serve_agent(PcscDown()).get("/v1/status")
    assert answer.status == 200
    assert answer.body["readers"] == []
    assert answer.body["card_present"] is False
    assert answer.body["error"]["code"] == "7001"
    assert answer.body["error"]["message"]["en"]


def test_card_read_answers_with_iso_dates(agent: AgentClient) -> None:
    answer = agent.get("/v1/card")
    assert answer.status == 200
    assert answer.body == {
        "card_number": "000012345678",
        "name": "王小明",
        "national_id": "A123456789",
        "birth_date": "1990-01-01",
        "sex": "M",
        "issue_date": "2016-07-13",
    }


def test_no_card_is_8013_with_409_readable_by_the_page(
    agent: AgentClient, wallet_path: Path
) -> None:
    VirtualReader(wallet_path).insert(None)
    answer = agent.get("/v1/card")
    assert answer.status == 409
    assert answer.body["code"] == "8013"
    assert answer.body["message"]["zh-Hant"].startswith("無法存取健保卡")
    assert answer.header("Access-Control-Allow-Origin") == TEST_ORIGIN


def test_sign_answers_a_signature_that_verifies(agent: AgentClient, wallet: Wallet) -> None:
    answer = agent.post("/v1/sign", {"challenge": CHALLENGE, "origin": TEST_ORIGIN})
    assert answer.status == 200
    assert answer.body["card_number"] == "000012345678"
    assert answer.body["algorithm"] == "ES256-raw"
    signature = base64.b64decode(answer.body["signature"], validate=True)
    assert len(signature) == 64
    key = wallet.cards[0].private_key
    assert key is not None
    assert verify_signature(key.public_key(), proof_message(TEST_ORIGIN, CHALLENGE), signature)


def test_sign_origin_must_be_the_requesting_page(agent: AgentClient) -> None:
    other = "http://localhost:8000"
    client = agent.post("/v1/sign", {"challenge": CHALLENGE, "origin": other})
    assert client.status == 403
    assert client.body["code"] == "4005"


def test_an_allowed_page_cannot_sign_for_another_allowed_page(
    serve_agent: Callable[..., AgentClient], wallet_path: Path
) -> None:
    client = serve_agent(VirtualReader(wallet_path), [TEST_ORIGIN, "http://localhost:8000"])
    answer = client.post("/v1/sign", {"challenge": CHALLENGE, "origin": "http://localhost:8000"})
    assert answer.status == 403
    assert answer.body["code"] == "4005"


@pytest.mark.parametrize("challenge", ["a" * 16, "a" * 512, "Zz09_-" * 3])
def test_challenge_lengths_and_alphabet_accepted(agent: AgentClient, challenge: str) -> None:
    answer = agent.post("/v1/sign", {"challenge": challenge, "origin": TEST_ORIGIN})
    assert answer.status == 200


@pytest.mark.parametrize(
    "challenge", ["a" * 15, "a" * 513, "a" * 15 + "=", "a" * 16 + "\n", "挑戰" * 10, "a b" * 8]
)
def test_bad_challenge_is_400(agent: AgentClient, challenge: str) -> None:
    answer = agent.post("/v1/sign", {"challenge": challenge, "origin": TEST_ORIGIN})
    assert answer.status == 400
    assert answer.body["code"] == "4002"


@pytest.mark.parametrize(
    "body", [{"challenge": 12345678901234567890, "origin": TEST_ORIGIN}, {"challenge": CHALLENGE}]
)
def test_missing_or_wrong_typed_fields_are_400(agent: AgentClient, body: dict[str, object]) -> None:
    answer = agent.post("/v1/sign", body)
    assert answer.status == 400
    assert answer.body["code"] == "4001"


def test_card_that_cannot_sign_is_8302(agent: AgentClient, wallet_path: Path) -> None:
    VirtualReader(wallet_path).insert("000033334444")
    assert agent.get("/v1/card").status == 200  # it reads...
    answer = agent.post("/v1/sign", {"challenge": CHALLENGE, "origin": TEST_ORIGIN})
    assert answer.status == 409  # ...but cannot prove itself
    assert answer.body["code"] == "8302"


def test_broken_wallet_is_reported_as_4012(agent: AgentClient, wallet_path: Path) -> None:
    wallet_path.write_text("{")
    assert agent.get("/v1/card").body["code"] == "4012"
    assert agent.get("/v1/status").body["error"]["code"] == "4012"
