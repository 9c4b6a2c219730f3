"""Who may open what: the few access checks every account page goes through."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from cardreg.accounts.middleware import AUTH_METHOD, LOGIN_AT
from cardreg.accounts.models import Account

# When the logged-in holder last proved the card again (帳號資料異動 wants a recent one).
CARD_CHECKED_AT = "card_checked_at"


def logged_in_with_card(request: HttpRequest) -> bool:
    """Account changes need the card: a passkey session may only use online services."""
    return bool(request.user.is_authenticated and request.session.get(AUTH_METHOD) == "card")


def card_login_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Login required, and with card + password (not a passkey); otherwise a 403 page saying so."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not logged_in_with_card(request):
            return render(request, "accounts/card_login_required.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def current_account(request: HttpRequest) -> Account:
    """The logged-in account, for views behind login_required or card_login_required."""
    user = request.user
    if not isinstance(user, Account):
        raise PermissionDenied
    return user


def note_card_check(request: HttpRequest) -> None:
    """The logged-in holder has just proven the account's card again."""
    request.session[CARD_CHECKED_AT] = timezone.now().isoformat()


def recently_authenticated(request: HttpRequest) -> bool:
    """Logged in with the card, or proved it again, within CARDREG_RECENT_AUTH_MINUTES."""
    window = timedelta(minutes=settings.CARDREG_RECENT_AUTH_MINUTES)
    times = [request.session.get(CARD_CHECKED_AT)]
    if logged_in_with_card(request):
        times.append(request.session.get(LOGIN_AT))
    return any(datetime.fromisoformat(value) + window > timezone.now() for value in times if value)
