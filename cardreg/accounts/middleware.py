"""Ends a login session 24 hours (a setting) after login, however active it has been."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

LOGIN_AT = "login_at"
# How this session logged in: "card" (card + password) or "passkey" (a bound device).
AUTH_METHOD = "auth_method"


def absolute_session_limit(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            limit = timedelta(seconds=settings.CARDREG_SESSION_ABSOLUTE_SECONDS)
            if started is None or datetime.fromisoformat(started) + limit <= timezone.now():
                auth.logout(request)
        return get_response(request)

    return middleware
