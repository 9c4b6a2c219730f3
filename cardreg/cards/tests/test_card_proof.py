"""The card proof through HTTP: challenge → the card's signature → the server's verdict."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cardreg.audit.models import AuditEvent
from cardreg.cards import proof, views
from cardreg.cards.models import CardStatus, Challenge
from cardreg.cards.testing import SignedCard

ORIGIN = "http://testserver"


def get_challenge(client: Client) -> str:
    response = client.post("/cards/challenge")
    assert response.status_code == 200
    body = response.json()
    assert body["origin"] == ORIGIN
    assert body["expires_in"] == 300
    return str(body["challenge"])


def verify(client: Client, **fields: Any) -> Any:
    return client.post("/cards/verify", fields, content_type="application/json")


def prove(client: Client, card: SignedCard, origin: str = ORIGIN) -> Any:
    challenge = get_challenge(client)
    return verify(
        client,
        challenge=challenge,
        origin=origin,
        card_number=card.number,
        signature=card.sign(origin, challenge),
    )


def test_a_valid_proof_shows_the_masked_holder(make_card: Callable[..., SignedCard]) -> None:
    card = make_card()
    client = Client()
    response = prove(client, card)
    assert response.status_code == 200
    holder = response.json()["holder"]
    assert holder["national_id"] == card.card.person.national_id[:6] + "****"
    assert card.card.person.national_id not in response.content.decode()
    assert client.session["card_proof"]["card_number"] == card.number
    assert AuditEvent.objects.filter(action="card.proof_accepted").count() == 1


def test_challenge_has_at_least_256_random_bits_and_is_stored_hashed(db: None) -> None:
    client = Client()
    first, second = get_challenge(client), get_challenge(client)
    assert first != second
    assert len(first) >= 43  # 32 bytes in base64url
    stored = set(Challenge.objects.values_list("digest", flat=True))
    assert first not in stored and second not in stored
    assert len(stored) == 2


def test_a_forged_agent_claiming_another_card_is_refused(
    make_card: Callable[..., SignedCard],
) -> None:
    victim, attacker = make_card(), make_card()
    client = Client()
    challenge = get_challenge(client)
    response = verify(
        client,
        challenge=challenge,
        origin=ORIGIN,
        card_number=victim.number,
        signature=attacker.sign(ORIGIN, challenge),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "9001"
    assert "card_proof" not in client.session


def test_a_replayed_challenge_is_refused(make_card: Callable[..., SignedCard]) -> None:
    card = make_card()
    client = Client()
    challenge = get_challenge(client)
    fields = dict(
        challenge=challenge,
        origin=ORIGIN,
        card_number=card.number,
        signature=card.sign(ORIGIN, challenge),
    )
    assert verify(client, **fields).status_code == 200
    replay = verify(client, **fields)
    assert replay.status_code == 409
    assert replay.json()["code"] == "9101"


def test_a_failed_attempt_spends_the_challenge(make_card: Callable[..., SignedCard]) -> None:
    card = make_card()
    client = Client()
    challenge = get_challenge(client)
    bad = verify(
        client,
        challenge=challenge,
        origin=ORIGIN,
        card_number=card.number,
        signature=make_card().sign(ORIGIN, challenge),
    )
    assert bad.json()["code"] == "9001"
    good = verify(
        client,
        challenge=challenge,
        origin=ORIGIN,
        card_number=card.number,
        signature=card.sign(ORIGIN, challenge),
    )
    assert good.json()["code"] == "9101"


def test_an_expired_challenge_is_refused(make_card: Callable[..., SignedCard]) -> None:
    card = make_card()
    client = Client()
    challenge = get_challenge(client)
    Challenge.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = verify(
        client,
        challenge=challenge,
        origin=ORIGIN,
        card_number=card.number,
        signature=card.sign(ORIGIN, challenge),
    )
    assert response.status_code == 410
    assert response.json()["code"] == "9102"


def test_a_signature_for_another_origin_is_refused(make_card: Callable[..., SignedCard]) -> None:
    card = make_card()
    response = prove(Client(), card, origin="https://phishing.example")
    assert response.status_code == 403
    assert response.json()["code"] == "9103"


def test_a_challenge_from_another_session_is_refused(make_card: Callable[..., SignedCard]) -> None:
    card = make_card()
    challenge = get_challenge(Client())
    other = Client()
    response = verify(
        other,
        challenge=challenge,
        origin=ORIGIN,
        card_number=card.number,
        signature=card.sign(ORIGIN, challenge),
    )
    assert response.json()["code"] == "9104"


@pytest.mark.parametrize(
    ("status", "code"),
    [(CardStatus.LOST, "9202"), (CardStatus.REPLACED, "9203"), (CardStatus.CANCELLED, "9204")],
)
def test_a_card_that_is_not_active_is_refused(
    make_card: Callable[..., SignedCard], status: str, code: str
) -> None:
    response = prove(Client(), make_card(status=status))
    assert response.status_code == 403
    assert response.json()["code"] == code


def _bad_signature_answer(card_number: str, status: str | None = None) -> tuple[int, Any]:
    client = Client()
    challenge = get_challenge(client)
    response = verify(
        client,
        challenge=challenge,
        origin=ORIGIN,
        card_number=card_number,
        signature=base64.b64encode(bytes(64)).decode(),
    )
    return response.status_code, response.json()


@pytest.mark.parametrize("status", [CardStatus.ACTIVE, CardStatus.LOST, CardStatus.CANCELLED])
def test_a_random_signature_tells_nothing_about_the_card_number(
    make_card: Callable[..., SignedCard], status: str
) -> None:
    """The existence oracle: a known card (whatever its status) and an unknown number, both with
    a signature nobody made, get the very same answer."""
    known = make_card(status=status)
    unknown = make_card()
    unknown.card.delete()
    assert _bad_signature_answer(known.number) == _bad_signature_answer(unknown.number)
    assert _bad_signature_answer(unknown.number)[1]["code"] == "9001"


def test_an_unknown_card_costs_the_same_signature_check(
    make_card: Callable[..., SignedCard], monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = proof._signature_valid

    def counting(public_key_pem: str, message: bytes, raw: bytes) -> bool:
        checked.append(public_key_pem)
        return real(public_key_pem, message, raw)

    monkeypatch.setattr(proof, "_signature_valid", counting)
    card = make_card()
    card.card.delete()
    response = prove(Client(), card)
    assert response.json()["code"] == "9001"
    assert len(checked) == 1  # one real ECDSA verify, against the dummy key


def test_a_card_without_a_key_needs_the_security_module(
    make_card: Callable[..., SignedCard],
) -> None:
    response = prove(Client(), make_card(with_key=False))
    assert response.json()["code"] == "9002"


@pytest.mark.parametrize(
    "fields",
    [
        {"card_number": "000000000001", "signature": "not base64!"},
        {"card_number": "000000000001", "signature": "AAAA"},
        {"card_number": "12ab", "signature": "A" * 88},
        {"card_number": 12, "signature": "A" * 88},
    ],
)
def test_malformed_proofs_get_a_clear_code_not_a_500(db: None, fields: dict[str, Any]) -> None:
    client = Client()
    challenge = get_challenge(client)
    response = verify(client, challenge=challenge, **fields)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "9105"
    assert body["message"]


def test_messages_follow_the_language(make_card: Callable[..., SignedCard]) -> None:
    client = Client(headers={"accept-language": "en"})
    response = prove(client, make_card(status=CardStatus.LOST))
    assert "reported lost" in response.json()["message"]
    chinese = prove(Client(), make_card(status=CardStatus.LOST))
    assert "遺失" in chinese.json()["message"]


@pytest.mark.parametrize("url", ["/cards/challenge", "/cards/verify"])
def test_the_card_endpoints_refuse_get_as_json(db: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["code"] == "9107"
    assert "重新整理網頁" in response.json()["message"]


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b""])
def test_a_body_that_is_not_a_json_object_gets_a_json_400(db: None, body: bytes) -> None:
    client = Client()
    get_challenge(client)
    response = client.post("/cards/verify", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "9105"


def test_an_unexpected_error_answers_json_for_the_page_and_logs_no_card_data(
    make_card: Callable[..., SignedCard],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    card = make_card()

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError(f"database refused card {card.number}")

    monkeypatch.setattr(views, "accept_card_proof", broken)
    client = Client(raise_request_exception=False, headers={"accept-language": "en"})
    response = prove(client, card)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "9901"
    assert "0800-030598" in response.json()["message"]
    assert "Our server" in response.json()["message"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged
    assert "/cards/verify" in logged
    assert card.number not in logged


def test_an_unexpected_error_while_issuing_a_challenge_answers_json(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> object:
        raise RuntimeError("no database")

    monkeypatch.setattr(views, "issue_challenge", broken)
    response = Client(raise_request_exception=False).post("/cards/challenge")
    assert response.status_code == 500
    assert response.json()["code"] == "9901"
    assert "本署伺服器" in response.json()["message"]
