"""WebAuthn ceremonies through py_webauthn: the options we offer, the challenge kept in the
session (single use, short-lived), and the checks of what the browser hands back.

No database here: actions.py decides what a verified answer means for the account.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django.utils.crypto import salted_hmac
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    options_to_json_dict,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticationCredential,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

REGISTRATION = "registration"
AUTHENTICATION = "authentication"


class CeremonyFailed(Exception):
    """The browser's answer does not verify (malformed, wrong challenge/origin/RP, no UV...)."""

    @classmethod
    def because(cls, exc: WebAuthnException) -> CeremonyFailed:
        # py_webauthn's reason names the check that failed, never a key: safe for the audit log.
        return cls(f"{type(exc).__name__}: {exc}"[:200])


def rp_id() -> str:
    configured: str = settings.CARDREG_WEBAUTHN_RP_ID
    return configured or urlsplit(settings.CARDREG_PUBLIC_URL).hostname or "localhost"


def user_handle(account_pk: int) -> bytes:
    # Stable per account, so an authenticator replaces its old passkey for us instead of keeping
    # two; opaque, so the phone never stores the national ID.
    return salted_hmac("cardreg.devices.user", str(account_pk), algorithm="sha256").digest()


def stored_user_handle(account_pk: int) -> str:
    return bytes_to_base64url(user_handle(account_pk))


def _timeout_ms() -> int:
    return int(settings.CARDREG_WEBAUTHN_TIMEOUT_SECONDS) * 1000


def registration_options(
    *, account_pk: int, user_name: str, display_name: str, exclude: Iterable[str]
) -> tuple[dict[str, Any], bytes]:
    """Options for navigator.credentials.create (JSON form) and their challenge."""
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=settings.CARDREG_WEBAUTHN_RP_NAME,
        user_id=user_handle(account_pk),
        user_name=user_name,
        user_display_name=display_name,
        timeout=_timeout_ms(),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(credential_id))
            for credential_id in exclude
        ],
    )
    return options_to_json_dict(options), options.challenge


def authentication_options() -> tuple[dict[str, Any], bytes]:
    """Options for navigator.credentials.get: discoverable credentials, so no allow list."""
    options = generate_authentication_options(
        rp_id=rp_id(),
        timeout=_timeout_ms(),
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json_dict(options), options.challenge


@dataclass(frozen=True)
class NewCredential:
    credential_id: str  # base64url
    public_key: bytes
    sign_count: int
    transports: list[str]


def verify_registration(credential: object, *, challenge: bytes, origin: str) -> NewCredential:
    try:
        if not isinstance(credential, dict | str):
            raise CeremonyFailed("credential is not JSON")
        parsed = parse_registration_credential_json(credential)
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin,
            require_user_verification=True,
        )
    except WebAuthnException as exc:
        raise CeremonyFailed.because(exc) from exc
    return NewCredential(
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t.value for t in parsed.response.transports or []],
    )


def parse_assertion(credential: object) -> AuthenticationCredential:
    try:
        if not isinstance(credential, dict | str):
            raise CeremonyFailed("credential is not JSON")
        return parse_authentication_credential_json(credential)
    except WebAuthnException as exc:
        raise CeremonyFailed.because(exc) from exc


def credential_id_of(assertion: AuthenticationCredential) -> str:
    return bytes_to_base64url(assertion.raw_id)


def user_handle_of(assertion: AuthenticationCredential) -> str | None:
    handle = assertion.response.user_handle
    return bytes_to_base64url(handle) if handle else None


def verify_assertion(
    assertion: AuthenticationCredential,
    *,
    challenge: bytes,
    origin: str,
    public_key: bytes,
    sign_count: int,
) -> int:
    """Check signature, challenge, origin, RP, user verification and counter; the new counter."""
    try:
        verified = verify_authentication_response(
            credential=assertion,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin,
            credential_public_key=public_key,
            credential_current_sign_count=sign_count,
            require_user_verification=True,
        )
    except WebAuthnException as exc:
        raise CeremonyFailed.because(exc) from exc
    new_count: int = verified.new_sign_count
    return new_count


# --- the challenge, kept server-side in the session ----------------------------------------


def remember_challenge(
    session: SessionBase, purpose: str, challenge: bytes, **data: str | int
) -> None:
    """Keep the challenge (and what the next step needs) until the answer comes; a new one
    replaces any earlier challenge of the same purpose."""
    expires = timezone.now() + timedelta(seconds=settings.CARDREG_WEBAUTHN_TIMEOUT_SECONDS)
    session[f"devices.{purpose}"] = {
        **data,
        "challenge": bytes_to_base64url(challenge),
        "expires": expires.isoformat(),
    }


@dataclass(frozen=True)
class Pending:
    challenge: bytes
    data: dict[str, Any]


def take_challenge(session: SessionBase, purpose: str) -> Pending | None:
    """The challenge issued for ``purpose``, removed from the session: it answers once only."""
    stored = session.pop(f"devices.{purpose}", None)
    if not isinstance(stored, dict):
        return None
    if datetime.fromisoformat(stored.pop("expires")) <= timezone.now():
        return None
    return Pending(challenge=base64url_to_bytes(stored.pop("challenge")), data=stored)
