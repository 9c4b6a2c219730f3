"""Single-use e-mail link tokens: random, stored hashed, only the newest one valid."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cardreg.accounts.models import Account, EmailToken


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def link_url(path: str, token: str) -> str:
    # The token rides in the fragment: browsers never send it, so no server log holds it.
    return f"{settings.CARDREG_PUBLIC_URL.rstrip('/')}{path}#{token}"


def supersede_tokens(account: Account, purpose: str) -> None:
    """Every unused link of ``purpose`` the account was sent stops working."""
    EmailToken.objects.filter(
        account=account, purpose=purpose, used_at__isnull=True, superseded_at__isnull=True
    ).update(superseded_at=timezone.now())


def issue_token(account: Account, purpose: str, *, lifetime: timedelta) -> str:
    """A new token for ``account``; every older unused one of the same purpose stops working."""
    supersede_tokens(account, purpose)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    EmailToken.objects.create(
        account=account,
        purpose=purpose,
        digest=token_digest(token),
        created_at=now,
        expires_at=now + lifetime,
    )
    return token


class LinkProblem(Exception):
    """Why a mailed link was not accepted: invalid, used, superseded, expired, already (the
    account is active already), wrong_card. ``subject``: the masked ID of the link's account."""

    def __init__(self, reason: str, subject: str = "") -> None:
        super().__init__(reason)
        self.reason, self.subject = reason, subject


def locked_token(token: str, purpose: str) -> EmailToken:
    """The row of ``token``, locked for this transaction, with its account and person."""
    row = (
        EmailToken.objects.select_for_update()
        .select_related("account__person")
        .filter(digest=token_digest(token), purpose=purpose)
        .first()
    )
    if row is None:
        raise LinkProblem("invalid")
    return row


def check_usable(row: EmailToken) -> None:
    """Raise LinkProblem unless the link is unused, the newest of its kind and unexpired."""
    if row.used_at is not None:
        raise LinkProblem("used")
    if row.superseded_at is not None:
        raise LinkProblem("superseded")
    if row.expires_at <= timezone.now():
        raise LinkProblem("expired")


def usable_link_account(token: str, purpose: str) -> Account:
    """The account of a link that can still be used, for the page that asks for more (the card,
    a new password) before the action uses the link; raises LinkProblem."""
    with transaction.atomic():
        row = locked_token(token, purpose)
        check_usable(row)
        return row.account
