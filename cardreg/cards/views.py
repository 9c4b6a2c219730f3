"""JSON endpoints the pages call while reading a card: get a challenge, hand in the signature."""

from __future__ import annotations

import functools
import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.http import HttpRequest, JsonResponse

from cardreg.cards.actions import (
    accept_card_proof,
    check_proof_throttle,
    expected_origin,
    holder_summary,
)
from cardreg.cards.codes import CardProofError, CardProofThrottled
from cardreg.cards.proof import issue_challenge

logger = logging.getLogger(__name__)


def _error(error: CardProofError) -> JsonResponse:
    response = JsonResponse(
        {"code": error.code, "message": str(error.message)}, status=error.http_status
    )
    if isinstance(error, CardProofThrottled):
        response["Retry-After"] = str(error.wait)
    return response


def json_errors(view: Callable[[HttpRequest], JsonResponse]) -> Callable[..., JsonResponse]:
    """A card endpoint that answers every failure as JSON the page's script can show: a refused
    proof with its code, a wrong method 405 (9107), anything unexpected 500 (9901) instead of
    Django's HTML page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest) -> JsonResponse:
        if request.method != "POST":
            response = _error(CardProofError("9107"))
            response["Allow"] = "POST"
            return response
        try:
            return view(request)
        except CardProofError as exc:
            return _error(exc)
        except Exception as exc:
            # The traceback without the exception's text, which may quote a card number or an
            # ID (a database error repeats the values it refused).
            where = "".join(traceback.format_tb(exc.__traceback__))
            logger.error(
                "card endpoint %s failed: %s\n%s", request.path, type(exc).__qualname__, where
            )
            got_request_exception.send(sender=None, request=request)
            return _error(CardProofError("9901"))

    return wrapped


def _session_key(request: HttpRequest) -> str:
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    assert key is not None  # noqa: S101 - save() always sets it
    return key


@json_errors
def challenge(request: HttpRequest) -> JsonResponse:
    check_proof_throttle(request)  # no fresh challenges (rows) for a throttled prober
    issued = issue_challenge(_session_key(request), expected_origin(request))
    return JsonResponse(
        {"challenge": issued.challenge, "origin": issued.origin, "expires_in": issued.expires_in}
    )


def _json_body(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting is malformed too
        return None
    return body if isinstance(body, dict) else None


@json_errors
def verify(request: HttpRequest) -> JsonResponse:
    body = _json_body(request)
    fields = ("challenge", "card_number", "signature")
    if body is None or not all(isinstance(body.get(f), str) for f in fields):
        raise CardProofError("9105")
    origin = body.get("origin")
    card = accept_card_proof(
        request,
        challenge=body["challenge"],
        origin=origin if isinstance(origin, str) else expected_origin(request),
        card_number=body["card_number"],
        signature=body["signature"],
    )
    return JsonResponse({"ok": True, "holder": holder_summary(card)})
