"""Single-use e-mail link tokens: random, stored hashed, only the newest one valid."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from cardreg.accounts.models import Account, EmailToken


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue_token(account: Account, purpose: str, *, lifetime: timedelta) -> str:
    """A new token for ``account``; every older unused one of the same purpose stops working."""
    now = timezone.now()
    EmailToken.objects.filter(
        account=account, purpose=purpose, used_at__isnull=True, superseded_at__isnull=True
    ).update(superseded_at=now)
    token = secrets.token_urlsafe(32)
    EmailToken.objects.create(
        account=account,
        purpose=purpose,
        digest=token_digest(token),
        created_at=now,
        expires_at=now + lifetime,
    )
    return token
