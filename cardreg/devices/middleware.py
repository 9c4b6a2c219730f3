"""Ends a passkey session as soon as its device is revoked (or its account is no longer active).

Install after AuthenticationMiddleware and MessageMiddleware:
    "cardreg.devices.middleware.end_revoked_device_sessions",
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from cardreg.accounts.middleware import AUTH_METHOD
from cardreg.devices.access import passkey_session_is_valid
from cardreg.devices.actions import end_device_session
from cardreg.devices.messages import SESSION_ENDED


def end_revoked_device_sessions(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        # Only passkey sessions pay for the query; card sessions never look at devices.
        if request.session.get(AUTH_METHOD) == "passkey" and not passkey_session_is_valid(request):
            end_device_session(request)
            messages.info(request, SESSION_ENDED, fail_silently=True)
        return get_response(request)

    return middleware
