"""The card-proof protocol: the server's challenge, signed by the card, checked here.

The card signs SHA-256(origin) ‖ SHA-256(challenge) with ECDSA P-256 / SHA-256 (raw r ‖ s); the
message and signature format are pinned in ``cardagent.proof``, which both sides use. Whatever the
user's computer claims, only a signature by the key registered for the card is believed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cardagent.proof import proof_message, verify_signature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone

from cardreg.cards.codes import CardProofError
from cardreg.cards.models import Card, CardStatus, Challenge

_STATUS_CODES = {
    CardStatus.LOST: "9202",
    CardStatus.REPLACED: "9203",
    CardStatus.CANCELLED: "9204",
}


@dataclass(frozen=True)
class IssuedChallenge:
    challenge: str
    origin: str
    expires_in: int


def _digest(challenge: str) -> str:
    return hashlib.sha256(challenge.encode("ascii", "replace")).hexdigest()


def issue_challenge(session_key: str, origin: str) -> IssuedChallenge:
    """Create a fresh 256-bit challenge bound to this session and origin."""
    challenge = secrets.token_urlsafe(32)
    now = timezone.now()
    ttl = settings.CARDREG_CHALLENGE_TTL_SECONDS
    Challenge.objects.create(
        digest=_digest(challenge),
        session_key=session_key,
        origin=origin,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
    )
    return IssuedChallenge(challenge=challenge, origin=origin, expires_in=ttl)


def _consume_challenge(session_key: str, challenge: str, origin: str) -> None:
    """Spend the challenge, once: any attempt, even a failing one, uses it up."""
    now = timezone.now()
    mine = Challenge.objects.filter(digest=_digest(challenge), session_key=session_key)
    # A conditional UPDATE is atomic on every database: of two racing requests one wins.
    if not mine.filter(used_at__isnull=True).update(used_at=now):
        raise CardProofError("9101" if mine.exists() else "9104")
    row = mine.get()
    if row.expires_at <= now:
        raise CardProofError("9102")
    if row.origin != origin:
        raise CardProofError("9103")


def _decode_signature(signature_b64: str) -> bytes:
    try:
        raw = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        raise CardProofError("9105") from None
    if len(raw) != 64:
        raise CardProofError("9105")
    return raw


# Checked instead of a registered key when the claimed card number is unknown, so that an unknown
# card costs the same ECDSA verify as a known one and a timing probe cannot tell them apart.
_DUMMY_KEY_PEM = (
    ec.generate_private_key(ec.SECP256R1())
    .public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode("ascii")
)


def _signature_valid(public_key_pem: str, message: bytes, raw: bytes) -> bool:
    key = serialization.load_pem_public_key(public_key_pem.encode("ascii"))
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        return False
    return verify_signature(key, message, raw)


def verify_card_proof(
    *, session_key: str, challenge: str, origin: str, card_number: str, signature: str
) -> Card:
    """Return the registered, active card that signed ``challenge``, or raise CardProofError.

    An unknown card number and a wrong signature get the same answer (9001) after the same work
    (one ECDSA verify), and the card's status is told only after a valid signature: whoever
    merely knows or guesses a card number learns nothing about it.
    """
    if not (isinstance(card_number, str) and card_number.isascii() and card_number.isdigit()):
        raise CardProofError("9105")
    raw = _decode_signature(signature)
    _consume_challenge(session_key, challenge, origin)
    card = Card.objects.select_related("person").filter(card_number=card_number).first()
    if card is not None and not card.public_key_pem:
        raise CardProofError("9002")
    key_pem = card.public_key_pem if card is not None else _DUMMY_KEY_PEM
    valid = _signature_valid(key_pem, proof_message(origin, challenge), raw)
    if card is None or not valid:
        raise CardProofError("9001")
    if card.status in _STATUS_CODES:
        raise CardProofError(_STATUS_CODES[CardStatus(card.status)])
    return card


def purge_expired_challenges(now: datetime) -> int:
    """Challenges past their expiry, used or not, go: refused probes must not pile up."""
    deleted, _ = Challenge.objects.filter(expires_at__lt=now).delete()
    return deleted
