"""Card-proof actions used by every flow that needs "the user holds this card"."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from cardreg.accounts import throttle
from cardreg.audit.actions import record_counted_event, record_event
from cardreg.cards.codes import CardProofError, CardProofThrottled
from cardreg.cards.models import Card, CardStatus
from cardreg.cards.proof import verify_card_proof
from cardreg.clientaddr import client_address
from cardreg.lib.masking import mask_card_number, mask_name, mask_national_id

SESSION_KEY = "card_proof"


def expected_origin(request: HttpRequest) -> str:
    """The origin the card must sign for: configured, or this request's own."""
    configured: str = settings.CARDREG_ORIGIN
    return configured or f"{request.scheme}://{request.get_host()}"


# Refused proofs are counted per client address and per session in windows of this length.
PROOF_WINDOW = timedelta(minutes=10)
# One audit row per client address per minute carries the count of its refused proofs.
REFUSALS_AUDIT_WINDOW = timedelta(minutes=1)


def _proof_throttles(request: HttpRequest) -> list[tuple[str, str, int]]:
    throttles = [
        ("card-proof-ip", client_address(request), settings.CARDREG_CARD_PROOF_FAILURES_PER_IP)
    ]
    # Without a session (a prober that drops its cookie) only the address counts: an empty key
    # would be one bucket shared by every new visitor, whom it would then lock out.
    if session_key := request.session.session_key:
        throttles.append(
            ("card-proof-session", session_key, settings.CARDREG_CARD_PROOF_FAILURES_PER_SESSION)
        )
    return throttles


def check_proof_throttle(request: HttpRequest) -> None:
    """Raise CardProofThrottled while this address or session has used up its refused proofs."""
    full = [
        throttle.window_left(scope, key, window=PROOF_WINDOW)
        for scope, key, limit in _proof_throttles(request)
        if throttle.count(scope, key, window=PROOF_WINDOW) >= limit
    ]
    if full:
        raise CardProofThrottled(max(full))


def _refused(request: HttpRequest, error: CardProofError, card_number: object) -> None:
    if not isinstance(error, CardProofThrottled):
        for scope, key, _limit in _proof_throttles(request):
            throttle.hit(scope, key, window=PROOF_WINDOW)
    record_counted_event(
        "card.proof_refused",
        request=request,
        window=REFUSALS_AUDIT_WINDOW,
        tally=error.code,
        subject=mask_card_number(card_number) if isinstance(card_number, str) else "",
    )


def accept_card_proof(
    request: HttpRequest, *, challenge: str, origin: str, card_number: str, signature: str
) -> Card:
    """Verify the proof and remember the proven card in the session; audit both outcomes.

    Refusals are throttled per address and per session and audited as one counted row per
    address and minute, so probing for card numbers is slow and cannot grow the tables."""
    session_key = request.session.session_key or ""
    try:
        check_proof_throttle(request)
        card = verify_card_proof(
            session_key=session_key,
            challenge=challenge,
            origin=origin,
            card_number=card_number,
            signature=signature,
        )
    except CardProofError as exc:
        _refused(request, exc, card_number)
        raise
    request.session[SESSION_KEY] = {
        "card_number": card.card_number,
        "verified_at": timezone.now().isoformat(),
    }
    record_event(
        "card.proof_accepted",
        actor=mask_national_id(card.person.national_id),
        subject=mask_card_number(card.card_number),
        request=request,
    )
    return card


def holder_summary(card: Card) -> dict[str, str]:
    """What a page may show about the proven card's holder: masked, never the full ID."""
    return {
        "name": mask_name(card.person.name),
        "national_id": mask_national_id(card.person.national_id),
        "card_number": mask_card_number(card.card_number),
    }


class NoFreshCardProof(Exception):
    """The step needs a card proof made in the last few minutes in this session."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "missing")
        self.expired = expired


def take_card_proof(request: HttpRequest) -> Card:
    """Use up this session's card proof (once) and return the proven, still-active card."""
    proof = request.session.pop(SESSION_KEY, None)
    if proof is None:
        raise NoFreshCardProof(expired=False)
    age = timezone.now() - datetime.fromisoformat(proof["verified_at"])
    if age > timedelta(seconds=settings.CARDREG_CARD_PROOF_MAX_AGE_SECONDS):
        raise NoFreshCardProof(expired=True)
    card = Card.objects.select_related("person").filter(card_number=proof["card_number"]).first()
    if card is None or card.status != CardStatus.ACTIVE:
        raise NoFreshCardProof(expired=True)
    return card
