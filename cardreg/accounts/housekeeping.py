"""Pending registrations over time (run hourly by cardreg.housekeeping): a reminder one day before
the link runs out, and, once every link has run out, the application is void and deleted
(SPEC §2.4: "within 5 days, otherwise the application is void"): a day later, or, if an
employer made it, at the end of the period in which 重寄認證信 still revives it.

Both select set-based, with one query for any number of accounts, then work in chunks of one
transaction each that lock their rows and select them again, so two runs at once (or a
registrant acting meanwhile) neither remind twice nor delete an account that just got a new link.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cardreg.accounts.actions import confirm_url
from cardreg.accounts.activation import activation_url
from cardreg.accounts.models import (
    Account,
    AccountOrigin,
    AccountStatus,
    EmailToken,
    TokenPurpose,
)
from cardreg.accounts.tokens import token_digest
from cardreg.audit.models import AuditEvent
from cardreg.bulk import chunked
from cardreg.lib.masking import mask_national_id
from cardreg.lib.roc_date import format_roc_text
from cardreg.mail.merge import MergeMail, prepare_merge, queue_merged
from cardreg.mail.models import MERGE_MARK

logger = logging.getLogger(__name__)

# The links of a pending account: a self-made one's 確認信, an employer-made one's 認證信.
LINK_URLS: dict[str, Callable[[str], str]] = {
    TokenPurpose.CONFIRM_EMAIL: confirm_url,
    TokenPurpose.ACTIVATE: activation_url,
}
LINK_PURPOSES = tuple(LINK_URLS)
REMIND_BEFORE = timedelta(days=1)
CHUNK = 500  # accounts per transaction


# --- the reminder ----------------------------------------------------------------------------


def _reminder_due(now: datetime) -> QuerySet[EmailToken]:
    """The links of pending accounts that run out within a day and have had no reminder. The
    reminder brings a second link with the same expiry, so a link that has a twin was reminded
    of; both stay valid (none supersedes the other) until either is used or a new one is sent."""
    twin = EmailToken.objects.filter(
        account=OuterRef("account"), purpose=OuterRef("purpose"), expires_at=OuterRef("expires_at")
    ).exclude(pk=OuterRef("pk"))
    return EmailToken.objects.filter(
        ~Exists(twin),
        purpose__in=LINK_PURPOSES,
        used_at__isnull=True,
        superseded_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + REMIND_BEFORE,
        account__status=AccountStatus.PENDING,
    )


def send_expiry_reminders(now: datetime) -> int:
    """Queue one reminder per link about to run out (with a second link that expires at the same
    time); returns how many."""
    ids = list(_reminder_due(now).values_list("pk", flat=True))
    return sum(_remind(now, chunk) for chunk in chunked(ids, CHUNK))


@transaction.atomic
def _remind(now: datetime, ids: Sequence[int]) -> int:
    rows = list(
        _reminder_due(now)
        .filter(pk__in=ids)
        .select_related("account__person")
        .select_for_update(skip_locked=True, of=("self",))
    )
    twins = [(row, secrets.token_urlsafe(32)) for row in rows]
    EmailToken.objects.bulk_create(
        EmailToken(
            account=row.account,
            purpose=row.purpose,
            digest=token_digest(token),
            created_at=now,
            expires_at=row.expires_at,
        )
        for row, token in twins
    )
    # A mail merge per kind of link and expiry: a batch's 100,000 links run out together, and
    # rendering each reminder (~2.5 ms) would cost minutes. Once per link: the twin written in
    # this same transaction marks the link as reminded (no dedup key needed).
    groups: dict[tuple[str, datetime], list[tuple[str, tuple[str, str]]]] = {}
    for row, token in twins:
        try:
            validate_email(row.account.email)
        except ValidationError:  # must not stop the rest
            logger.warning("no reminder for account %s: its address is not valid", row.account_id)
            continue
        values = (row.account.person.name, token)
        groups.setdefault((row.purpose, row.expires_at), []).append((row.account.email, values))
    for (purpose, expires_at), mails in groups.items():
        queue_merged(_reminder_merge(purpose, expires_at), mails)
    return len(rows)


def _reminder_merge(purpose: str, expires_at: datetime) -> MergeMail:
    expires = timezone.localtime(expires_at)
    context = {
        "link": LINK_URLS[purpose](MERGE_MARK.format("token")),
        "expires": f"{format_roc_text(expires.date())} {expires:%H:%M}",
        "activate": purpose == TokenPurpose.ACTIVATE,
    }
    return prepare_merge("link_reminder", context, ("name", "token"), "zh-hant")


# --- the purge -------------------------------------------------------------------------------


def purge_grace() -> timedelta:
    """How long after its last link ran out a self-made pending application is kept."""
    hours = settings.CARDREG_PENDING_PURGE_GRACE_HOURS
    return timedelta(hours=hours)


def employer_resend_period() -> timedelta:
    """How long after its last link ran out an employer-made pending application is kept, open
    to 重寄認證信."""
    return timedelta(days=settings.CARDREG_EMPLOYER_PENDING_RESEND_DAYS)


def _void_since(cutoff: datetime, origin: str) -> Q:
    """Accounts of ``origin`` none of whose links is valid after ``cutoff``. An account
    old enough for a link of its day to have run out counts even without any link."""
    live = EmailToken.objects.filter(
        account=OuterRef("pk"), purpose__in=LINK_PURPOSES, expires_at__gt=cutoff
    )
    made_before = cutoff - timedelta(days=settings.CARDREG_CONFIRM_DAYS)
    return ~Exists(live) & Q(origin=origin, created_at__lte=made_before)


def _purgeable(now: datetime) -> QuerySet[Account]:
    void = _void_since(now - purge_grace(), AccountOrigin.SELF) | _void_since(
        now - employer_resend_period(), AccountOrigin.EMPLOYER
    )
    return Account.objects.filter(void, status=AccountStatus.PENDING)


def purge_expired_pending(now: datetime) -> int:
    """Delete the void applications with their links, one audit event each; returns how many."""
    ids = list(_purgeable(now).values_list("pk", flat=True))
    return sum(_purge(now, chunk) for chunk in chunked(ids, CHUNK))


@transaction.atomic
def _purge(now: datetime, ids: Sequence[int]) -> int:
    doomed = list(
        _purgeable(now)
        .filter(pk__in=ids)
        .select_for_update(skip_locked=True)
        .values_list("pk", "national_id", "origin")
    )
    # Tokens and devices cascade; the person and his cards stay.
    Account.objects.filter(pk__in=[pk for pk, _, _ in doomed]).delete()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action="account.pending_purged",
            actor=mask_national_id(national_id),
            detail={"origin": origin},
        )
        for _, national_id, origin in doomed
    )
    return len(doomed)
