"""Probing /cards/verify: refusals are throttled per address and per session, audited as one
counted row per address and minute, and expired challenges are purged."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import Client
from django.utils import timezone

from cardreg.accounts.models import Throttle
from cardreg.audit.models import AuditEvent
from cardreg.cards.models import Challenge
from cardreg.cards.proof import purge_expired_challenges
from cardreg.cards.testing import SignedCard
from cardreg.housekeeping import STEPS, run_housekeeping

ORIGIN = "http://testserver"
BAD_SIGNATURE = base64.b64encode(bytes(64)).decode()


def probe(client: Client, card_number: str = "000011112222", signature: str = BAD_SIGNATURE) -> Any:
    answer = client.post("/cards/challenge")
    if answer.status_code != 200:
        return answer
    fields = {
        "challenge": answer.json()["challenge"],
        "origin": ORIGIN,
        "card_number": card_number,
        "signature": signature,
    }
    return client.post("/cards/verify", fields, content_type="application/json")


@pytest.fixture
def limits(settings: Any) -> Any:
    settings.CARDREG_CARD_PROOF_FAILURES_PER_SESSION = 3
    settings.CARDREG_CARD_PROOF_FAILURES_PER_IP = 5
    return settings


def test_a_session_is_throttled_after_its_refused_proofs(
    limits: Any, make_card: Callable[..., SignedCard]
) -> None:
    client = Client()
    for _ in range(3):
        assert probe(client).status_code == 403
    card = make_card()
    challenge = client.post("/cards/challenge")
    assert challenge.status_code == 429  # no new challenge row for a throttled prober
    refused = probe(client, card.number, "")
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "9106"
    assert body["message"] == "讀取健保卡驗證失敗的次數過多，請在 10 分鐘後再試。"
    assert 590 <= int(refused["Retry-After"]) <= 600
    # Even the right card waits: the throttle is checked before the proof.
    fields = {"challenge": "x", "origin": ORIGIN, "card_number": card.number, "signature": "x"}
    late = client.post("/cards/verify", fields, content_type="application/json")
    assert late.status_code == 429
    assert "card_proof" not in client.session


def test_the_wait_is_said_in_english_too(limits: Any, db: None) -> None:
    client = Client(headers={"accept-language": "en"})
    for _ in range(3):
        probe(client)
    body = client.post("/cards/challenge").json()
    assert body["message"] == "Too many failed card checks. Please try again in 10 minutes."


def test_new_sessions_from_one_address_are_throttled_together(limits: Any, db: None) -> None:
    for _ in range(5):
        assert probe(Client()).status_code == 403  # a fresh session (no cookie) every time
    assert probe(Client()).status_code == 429
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert probe(other_address).status_code == 403


def test_the_throttle_ends_with_its_window(limits: Any, db: None) -> None:
    client = Client()
    for _ in range(3):
        probe(client)
    assert probe(client).status_code == 429
    Throttle.objects.update(window_start=F("window_start") - dt.timedelta(minutes=10))
    assert probe(client).status_code == 403


def test_refusals_are_audited_as_one_counted_row_a_minute(limits: Any, db: None) -> None:
    for _ in range(5):
        probe(Client())
    fields = {"challenge": "x", "origin": ORIGIN, "card_number": "000011113333", "signature": "x"}
    for _ in range(2):  # throttled now
        Client().post("/cards/verify", fields, content_type="application/json")
    rows = AuditEvent.objects.filter(action="card.proof_refused")
    assert rows.count() == 1
    row = rows.get()
    assert row.detail["count"] == 7
    assert row.detail["tally"] == {"9001": 5, "9106": 2}
    assert row.subject == "0000****2222"
    rows.update(created_at=F("created_at") - dt.timedelta(minutes=1))
    Throttle.objects.all().delete()
    probe(Client())
    assert rows.count() == 2


def test_expired_challenges_are_purged_every_hour(db: None) -> None:
    client = Client()
    client.post("/cards/challenge")
    client.post("/cards/challenge")
    Challenge.objects.filter(pk=Challenge.objects.first().pk).update(  # type: ignore[union-attr]
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert STEPS["challenges_purged"] is purge_expired_challenges
    assert STEPS["challenges_purged"](timezone.now()) == 1
    assert Challenge.objects.count() == 1


def test_what_probes_leave_behind_is_purged_every_hour(limits: Any, db: None) -> None:
    for _ in range(5):
        probe(Client())
    assert Throttle.objects.count() == 6  # the address, and each probe's own session
    assert Session.objects.count() == 5
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    done = run_housekeeping(later)
    assert done["throttles_purged"] == 6
    assert done["sessions_cleared"] is True
    assert not Throttle.objects.exists()
    assert not Session.objects.exists()
    assert not Challenge.objects.exists()


def test_refusals_without_a_session_do_not_throttle_every_new_visitor(
    limits: Any, db: None
) -> None:
    # A prober that never keeps a cookie has no session to count against; were its refusals
    # counted under an empty session key, every new visitor (no session yet) would share it.
    challenge = base64.urlsafe_b64encode(bytes(32)).decode().rstrip("=")
    fields = {
        "challenge": challenge,
        "origin": ORIGIN,
        "card_number": "000011112222",
        "signature": BAD_SIGNATURE,
    }
    for n in range(4):
        prober = Client(REMOTE_ADDR=f"192.0.2.{n}")
        answer = prober.post("/cards/verify", fields, content_type="application/json")
        assert answer.json()["code"] == "9104"  # a refused proof: counted
    newcomer = Client(REMOTE_ADDR="198.51.100.7")
    assert newcomer.post("/cards/challenge").status_code == 200
