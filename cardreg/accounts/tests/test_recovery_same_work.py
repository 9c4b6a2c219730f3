"""重寄確認信 and 忘記註冊密碼 do the same work whether or not the card holder has an account
(or the kind of account the function serves), so the time an answer takes does not tell. Counted
in SQL statements, not timed: benchmarks/recovery_timing.py measures the time."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cardreg.accounts.models import Throttle
from cardreg.accounts.tests.conftest import active_account, add_household, register
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.mail.models import OutboxMessage

# psycopg writes a negative number with a space before it (" -1", so that "--" never starts a
# comment): a literal takes the spaces before it.
LITERALS = re.compile(r"\s*(?:'[^']*'|-?\b\d+(\.\d+)?\b|\"s\d+_x\d+\")")


def statements_of(path: str, card: SignedCard, address: str) -> list[str]:
    """The SQL statements of the submit after the card proof, their values left out (dates and
    random token digests differ from run to run). The stand-in's savepoint is rolled back where
    the real work's is released: Django's ROLLBACK TO comes with the same RELEASE."""
    client = Client(REMOTE_ADDR=address)  # a first request from each: the throttle rows alike
    assert client.get(path).status_code == 200
    card.prove(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path)
    assert response.status_code == 200
    shapes = [LITERALS.sub(" ?", q["sql"]) for q in queries.captured_queries]
    return [shape for shape in shapes if not shape.startswith("ROLLBACK TO SAVEPOINT")]


def test_forgot_does_the_same_work_for_active_pending_and_unknown_cards(db: None) -> None:
    active, pending, unknown = make_signed_card(), make_signed_card(), make_signed_card()
    active_account(active)
    add_household(pending)
    register(Client(), pending)
    mails = OutboxMessage.objects.count()
    with_account = statements_of("/account/forgot", active, "10.0.0.1")
    assert OutboxMessage.objects.count() == mails + 1  # the real one is mailed
    assert statements_of("/account/forgot", pending, "10.0.0.2") == with_account
    assert statements_of("/account/forgot", unknown, "10.0.0.3") == with_account
    assert OutboxMessage.objects.count() == mails + 1  # the others' work left nothing
    assert Throttle.objects.filter(scope="forgot-person").count() == 3  # each counted alike


def test_resend_does_the_same_work_for_pending_active_and_unknown_cards(db: None) -> None:
    pending, active, unknown = make_signed_card(), make_signed_card(), make_signed_card()
    add_household(pending)
    register(Client(), pending)
    active_account(active)
    mails = OutboxMessage.objects.count()
    with_application = statements_of("/account/resend", pending, "10.0.0.4")
    assert OutboxMessage.objects.count() == mails + 1
    assert statements_of("/account/resend", active, "10.0.0.5") == with_application
    assert statements_of("/account/resend", unknown, "10.0.0.6") == with_application
    assert OutboxMessage.objects.count() == mails + 1
