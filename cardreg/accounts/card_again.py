"""Reading the card again, by the logged-in holder, before a step that needs a recent card check
(帳號資料異動, binding a passkey): the page that asks for it and the check of what it sent."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from cardreg.accounts import messages as msg
from cardreg.accounts.access import current_account, note_card_check
from cardreg.accounts.views import card_page, proof_error
from cardreg.cards.actions import NoFreshCardProof, take_card_proof

CARD_AGAIN_PAGE = "accounts/card_again.html"


def card_again_page(
    request: HttpRequest, *, title: Promise, notice: Promise, action: str, error: str = ""
) -> HttpResponse:
    """The page titled ``title`` asking for the card; ``notice`` says why (%(minutes)s) and the
    form posts the proof to ``action``."""
    text = str(notice) % {"minutes": settings.CARDREG_RECENT_AUTH_MINUTES}
    context = {"title": title, "notice": text, "action": action, "error": error}
    return card_page(request, CARD_AGAIN_PAGE, **context)


def check_card_again(request: HttpRequest) -> str:
    """Take this session's card proof: "" when it is the logged-in holder's own card (noted as a
    recent check from now on), otherwise what the page should say."""
    try:
        card = take_card_proof(request)
    except NoFreshCardProof as exc:
        return proof_error(exc, CARD_AGAIN_PAGE)
    if card.person_id != current_account(request).person_id:
        return str(msg.CARD_NOT_YOURS)
    note_card_check(request)
    return ""
