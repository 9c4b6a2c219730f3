"""Who may open what: the few access checks every account page goes through."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cardreg.accounts.middleware import AUTH_METHOD


def logged_in_with_card(request: HttpRequest) -> bool:
    """Account changes need the card: a passkey session may only use online services."""
    return bool(request.user.is_authenticated and request.session.get(AUTH_METHOD) == "card")


def card_login_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Login required, and with card + password (not a passkey); otherwise a 403 page saying so."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not logged_in_with_card(request):
            return render(request, "accounts/card_login_required.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped
