"""Crash recovery: a lease that ran out means the worker died; a live lease is left alone."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from cardreg.mail.delivery import claim_due, deliver_due
from cardreg.mail.models import MessageStatus, OutboxMessage
from cardreg.mail.tests.conftest import SmtpSink

MakeMail = Callable[..., OutboxMessage]


def left_sending(message: OutboxMessage, lease_left: timedelta) -> None:
    """As a worker leaves it when SIGKILLed between its claim and marking the message sent."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING,
        lease_until=timezone.now() + lease_left,
        claim_token="dead-worker",
    )


def test_an_abandoned_message_is_taken_over(smtp_server: SmtpSink, make_mail: MakeMail) -> None:
    message = make_mail()
    left_sending(message, -timedelta(seconds=1))
    assert deliver_due().sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1  # the interrupted attempt counts
    [received] = smtp_server.received
    assert received.message["Message-ID"] == message.message_id


def test_a_message_with_a_live_lease_is_not_touched(
    smtp_server: SmtpSink, make_mail: MakeMail
) -> None:
    message = make_mail()
    left_sending(message, timedelta(minutes=5))
    assert deliver_due().handled == 0
    message.refresh_from_db()
    assert (message.status, message.claim_token) == (MessageStatus.SENDING, "dead-worker")
    assert smtp_server.received == []


def test_two_sweeps_never_hold_the_same_message(make_mail: MakeMail) -> None:
    make_mail()
    make_mail()
    first_token, first = claim_due(10)
    second_token, second = claim_due(10)
    assert len(first) == 2 and second == []
    assert first_token != second_token


def test_a_late_sweep_cannot_mark_a_taken_over_message(
    smtp_server: SmtpSink, make_mail: MakeMail
) -> None:
    message = make_mail()
    _token, [claimed] = claim_due(1)
    left_sending(claimed, -timedelta(seconds=1))  # our lease ran out and ...
    _other, [taken_over] = claim_due(1)  # ... another sweep took the message over
    from cardreg.mail.delivery import _mark_sent

    _mark_sent(claimed, _token)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert taken_over.pk == message.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_mail_once(
    smtp_server: SmtpSink, make_mail: MakeMail, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cardreg.mail.delivery.CHUNK", 5)  # many small claims, more overlap
    for _ in range(60):
        make_mail()
    barrier = threading.Barrier(3)

    def sweep() -> None:
        barrier.wait()
        try:
            deliver_due()
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [r.message["Message-ID"] for r in smtp_server.received]
    assert len(ids) == len(set(ids)) == 60
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_a_long_smtp_timeout_lengthens_the_lease(
    smtp_server: SmtpSink, make_mail: MakeMail, settings: Any
) -> None:
    settings.CARDREG_SMTP_TIMEOUT_SECONDS = 300  # a worst-case dialogue longer than LEASE
    make_mail()
    assert deliver_due().sent == 1
