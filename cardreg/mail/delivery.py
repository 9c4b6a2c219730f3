"""Delivering the outbox: claim due messages with a conditional UPDATE, send, record the outcome.

Several sweeps may run at once (several workers, or the management command next to them): a
message is claimed by one UPDATE that only matches while it is due, so two sweeps never hold it
together. A claim is a lease: a sweep killed mid-send leaves the message in ``sending`` until the
lease runs out, and then any sweep takes it over.

"Sent once in effect": a message is marked sent right after the SMTP server accepted it. If the
worker dies between that acceptance and the UPDATE (milliseconds), the message is sent again after
the lease expires, with the same Message-ID, so receiving systems can tell it is the same mail.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, F, Min, PositiveIntegerField, Q, When
from django.utils import timezone

from cardreg.audit.actions import record_event
from cardreg.lib.masking import mask_email
from cardreg.mail.models import MessageStatus, OutboxAttachment, OutboxMessage
from cardreg.mail.transports import Failure, Transport, build_email, classify, envelope_sender
from cardreg.mail.transports import get_transport as configured_transport

logger = logging.getLogger(__name__)

CHUNK = 100  # messages claimed by one UPDATE
MAX_PER_SWEEP = 2000  # then the sweep ends and a new one is queued, so other tasks get a turn
LEASE = timedelta(minutes=10)  # at least; see lease_length()
# Start a message only if its lease outlives a worst-case SMTP dialogue (each step may time out).
SEND_BUDGET_STEPS = 6
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
PERMANENT_TRIES = 3  # a 5xx refusal is believed on the third attempt
GIVE_UP_AFTER = timedelta(days=5)  # like an MTA's queue lifetime; confirmation links last 5 days


def send_budget() -> timedelta:
    return timedelta(seconds=SEND_BUDGET_STEPS * settings.CARDREG_SMTP_TIMEOUT_SECONDS)


def lease_length() -> timedelta:
    # Twice the budget: a claim always leaves time to send at least one message.
    return max(LEASE, 2 * send_budget())


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... doubling after each failed attempt, capped at 1 h."""
    exponent = max(0, min(attempts - 1, 10))
    return min(BACKOFF_FIRST * (1 << exponent), BACKOFF_MAX)


@dataclass
class SweepResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    more_due: bool = False  # stopped at MAX_PER_SWEEP with messages still due
    server_down_until: datetime | None = None  # stopped: no connection; try again then

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


def _due(now: datetime) -> Q:
    pending = Q(status=MessageStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=MessageStatus.SENDING, lease_until__lte=now)
    return pending | abandoned


def claim_due(limit: int) -> tuple[str, list[OutboxMessage]]:
    """Take up to ``limit`` due messages for this sweep; returns its claim token and them."""
    now = timezone.now()
    ids = list(
        OutboxMessage.objects.filter(_due(now))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    token = uuid.uuid4().hex
    if not ids:
        return token, []
    OutboxMessage.objects.filter(_due(now), id__in=ids).update(
        status=MessageStatus.SENDING,
        lease_until=now + lease_length(),
        claim_token=token,
        # Taking over an abandoned message: its previous attempt was interrupted, count it.
        attempts=Case(
            When(status=MessageStatus.SENDING, then=F("attempts") + 1),
            default=F("attempts"),
            output_field=PositiveIntegerField(),
        ),
    )
    claimed = (
        # The excluded empty token is the partial index's own condition: SQLite uses an index
        # only when the query repeats it.
        OutboxMessage.objects.filter(claim_token=token)
        .exclude(claim_token="")
        .select_related("shared_body")
        .prefetch_related("attachments")
    )
    return token, list(claimed.order_by("id"))


def deliver_due(*, transport: Transport | None = None, limit: int = MAX_PER_SWEEP) -> SweepResult:
    """One sweep: send every due message (up to ``limit``) over one connection."""
    result = SweepResult()
    transport = transport or configured_transport()
    try:
        while result.handled < limit:
            token, batch = claim_due(min(CHUNK, limit - result.handled))
            if not batch:
                return result
            if not _deliver_batch(transport, token, batch, result):
                return result
        result.more_due = OutboxMessage.objects.filter(_due(timezone.now())).exists()
        return result
    finally:
        transport.close()


def _deliver_batch(
    transport: Transport, token: str, batch: list[OutboxMessage], result: SweepResult
) -> bool:
    """Send a claimed batch; False when the server is unreachable (the rest is released)."""
    budget = send_budget()
    for index, message in enumerate(batch):
        now = timezone.now()
        if message.lease_until is None or now + budget > message.lease_until:
            _release(token, batch[index:])
            return True
        if now - message.created_at > GIVE_UP_AFTER:
            _give_up(message, token, "expired")
            result.failed += 1
            continue
        try:
            email = build_email(message)
        except Exception as exc:  # a stored message that cannot be built never gets better
            _give_up(message, token, f"{type(exc).__name__} (building)")
            result.failed += 1
            continue
        try:
            transport.send(email, sender=envelope_sender(), recipient=message.recipient)
        except Exception as exc:
            failure = classify(exc)
            retry_at = _record_failure(message, token, failure, result)
            if failure.server_down:
                _release(token, batch[index + 1 :])
                result.server_down_until = retry_at
                return False
            continue
        _mark_sent(message, token)
        result.sent += 1
    return True


def _mark_sent(message: OutboxMessage, token: str) -> None:
    now = timezone.now()
    fields: dict[str, object] = {
        "status": MessageStatus.SENT,
        "sent_at": now,
        "lease_until": None,
        "claim_token": "",
        "last_error": "",
    }
    keep_copy = settings.CARDREG_DEMO
    if not keep_copy:
        # The bodies may hold single-use links; the hashed tokens elsewhere are what must remain.
        fields |= {"text_body": "", "html_body": "", "merge_values": ""}
    updated = OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(**fields)
    if not updated:
        logger.warning("mail %s was taken over by another sweep while sending", message.pk)
    elif not keep_copy and message.attachments.all():  # prefetched: no query when empty
        OutboxAttachment.objects.filter(message_id=message.pk).delete()
    logger.info("mail %s sent to %s", message.pk, mask_email(message.recipient))


def _record_failure(
    message: OutboxMessage, token: str, failure: Failure, result: SweepResult
) -> datetime | None:
    """Count the attempt; returns when to try again, or None when the message failed for good."""
    attempts = message.attempts + 1
    if failure.permanent and attempts >= PERMANENT_TRIES:
        message.attempts = attempts
        _give_up(message, token, failure.error)
        result.failed += 1
        return None
    retry_at = timezone.now() + backoff(attempts)
    OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(
        status=MessageStatus.PENDING,
        attempts=attempts,
        next_attempt_at=retry_at,
        lease_until=None,
        claim_token="",
        last_error=failure.error,
    )
    result.retrying += 1
    logger.warning(
        "mail %s to %s not sent (%s), attempt %d, retry at %s",
        message.pk,
        mask_email(message.recipient),
        failure.error,
        attempts,
        retry_at.isoformat(),
    )
    return retry_at


def _give_up(message: OutboxMessage, token: str, error: str) -> None:
    OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(
        status=MessageStatus.FAILED,
        attempts=message.attempts,
        lease_until=None,
        claim_token="",
        last_error=error,
    )
    record_event(
        "mail.failed",
        subject=f"mail:{message.pk}",
        template=message.template,
        to=mask_email(message.recipient),
        error=error,
        attempts=message.attempts,
    )
    logger.error(
        "mail %s to %s failed for good (%s)", message.pk, mask_email(message.recipient), error
    )


def _release(token: str, messages: list[OutboxMessage]) -> None:
    """Hand back claimed messages that were not tried: due again at once, no attempt counted."""
    OutboxMessage.objects.filter(claim_token=token, id__in=[m.pk for m in messages]).update(
        status=MessageStatus.PENDING, lease_until=None, claim_token=""
    )


def next_due_at() -> datetime | None:
    """When the next sweep has work: the earliest retry, or the earliest lease to run out."""
    times = OutboxMessage.objects.aggregate(
        retry=Min("next_attempt_at", filter=Q(status=MessageStatus.PENDING)),
        lease=Min("lease_until", filter=Q(status=MessageStatus.SENDING)),
    )
    found = [t for t in (times["retry"], times["lease"]) if t is not None]
    return min(found) if found else None
