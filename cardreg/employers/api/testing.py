"""Tokens and requests for the API's tests."""

from __future__ import annotations

import secrets

from cardreg.accounts.tokens import token_digest
from cardreg.employers.actions import issue_api_token
from cardreg.employers.models import ApiToken, InsuranceUnit


def issued_token(unit: InsuranceUnit, national_id: str) -> str:
    """A token as ``manage.py issue_api_token`` gives it (the person holds the upload right)."""
    return issue_api_token(unit, national_id, by=None).token


def raw_token(unit: InsuranceUnit, national_id: str) -> str:
    """A token row made directly, whatever the person's rights: a token whose person's rights
    changed after it was issued, as the API meets it."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(unit=unit, national_id=national_id, digest=token_digest(token))
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
