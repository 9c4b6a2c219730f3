"""A server that is down or refuses: back-off, retry scheduled, delivered once when it is back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from cardreg.audit.models import AuditEvent
from cardreg.mail.delivery import PERMANENT_TRIES, backoff, deliver_due
from cardreg.mail.models import MessageStatus, OutboxMessage
from cardreg.mail.tasks import HEARTBEAT, run_sweep
from cardreg.mail.tests.conftest import SmtpSink, sweeps_waiting

MakeMail = Callable[..., OutboxMessage]


def time_passes() -> None:
    """Make every waiting retry due, as if its back-off had run out."""
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_server_that_is_down_leaves_the_message_pending_with_back_off(
    smtp_sink: SmtpSink, make_mail: MakeMail
) -> None:
    message = make_mail()
    result = deliver_due()  # nothing listens: no exception escapes
    assert (result.sent, result.retrying) == (0, 1)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert message.last_error == "ConnectionRefusedError"
    assert message.lease_until is None


def test_the_mail_is_delivered_once_when_the_server_is_back(
    smtp_sink: SmtpSink, make_mail: MakeMail
) -> None:
    message = make_mail()
    deliver_due()
    smtp_sink.start()
    assert deliver_due().handled == 0  # the back-off has not run out yet
    time_passes()
    assert deliver_due().sent == 1
    assert deliver_due().handled == 0
    assert len(smtp_sink.received) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1


def test_an_outage_stops_the_sweep_after_one_try(smtp_sink: SmtpSink, make_mail: MakeMail) -> None:
    for _ in range(3):
        make_mail()
    result = deliver_due()
    assert result.retrying == 1
    assert result.server_down_until is not None
    statuses = sorted(OutboxMessage.objects.values_list("status", "attempts"))
    assert statuses == [("pending", 0), ("pending", 0), ("pending", 1)]


def test_the_sweep_schedules_its_own_retry(smtp_sink: SmtpSink, make_mail: MakeMail) -> None:
    message = make_mail()
    run_sweep()
    message.refresh_from_db()
    run_afters = sorted(task.run_after for task in sweeps_waiting())
    assert run_afters[0] == message.next_attempt_at  # the retry
    assert run_afters[-1] > timezone.now() + HEARTBEAT - timedelta(seconds=5)  # the heartbeat


def test_sweeps_do_not_multiply(smtp_sink: SmtpSink, make_mail: MakeMail) -> None:
    make_mail()
    run_sweep()
    waiting = len(sweeps_waiting())
    for _ in range(3):
        run_sweep()
    assert len(sweeps_waiting()) == waiting == 2


def test_an_empty_outbox_keeps_one_heartbeat_sweep(db: None) -> None:
    run_sweep()
    run_sweep()
    [heartbeat] = sweeps_waiting()
    assert heartbeat.run_after > timezone.now() + HEARTBEAT - timedelta(seconds=5)


def test_a_temporary_refusal_is_retried(smtp_sink: SmtpSink, make_mail: MakeMail) -> None:
    smtp_sink.handler.rcpt_reply = "450 4.2.1 Mailbox busy, try later"
    smtp_sink.start()
    message = make_mail()
    make_mail()
    result = deliver_due()
    assert result.retrying == 2  # a refusal of one recipient does not stop the sweep
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.last_error == "SMTPRecipientsRefused 450"


def test_a_permanent_refusal_fails_after_a_few_tries_with_an_audit_event(
    smtp_sink: SmtpSink, make_mail: MakeMail
) -> None:
    smtp_sink.handler.rcpt_reply = "550 5.1.1 No such user"
    smtp_sink.start()
    message = make_mail(to="nobody@example.tw")
    for _ in range(PERMANENT_TRIES - 1):
        assert deliver_due().retrying == 1
        time_passes()
    assert deliver_due().failed == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == PERMANENT_TRIES
    assert message.last_error == "SMTPRecipientsRefused 550"
    event = AuditEvent.objects.get(action="mail.failed")
    assert event.subject == f"mail:{message.pk}"
    assert event.detail["to"] == "no***@example.tw"
    time_passes()
    assert deliver_due().handled == 0  # failed is final


def test_a_message_too_old_to_matter_fails(smtp_server: SmtpSink, make_mail: MakeMail) -> None:
    message = make_mail()
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(days=6))
    assert deliver_due().failed == 1
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.FAILED, "expired")
    assert smtp_server.received == []


def test_a_message_that_cannot_be_built_fails_at_once(
    smtp_server: SmtpSink, make_mail: MakeMail
) -> None:
    message = make_mail()
    OutboxMessage.objects.update(recipient="a@example.tw\nBcc: b@example.tw")
    assert deliver_due().failed == 1
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.FAILED, "ValueError (building)")
    assert smtp_server.received == []


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (50, 3600)]
)
def test_back_off_doubles_up_to_an_hour(attempts: int, seconds: int) -> None:
    assert backoff(attempts) == timedelta(seconds=seconds)
