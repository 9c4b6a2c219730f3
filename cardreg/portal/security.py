"""Headers every page gets: a Content-Security-Policy (our scripts only, and the card agent as the
one outside address a page may call; Django 5.2 has no CSP of its own), and no caching of pages
that show personal data or a kept password."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def content_security_policy(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def policy() -> str:
        agent = settings.CARDREG_AGENT_URL.rstrip("/")
        return "; ".join(
            (
                "default-src 'self'",
                "script-src 'self'",
                f"connect-src 'self' {agent}",
                "img-src 'self' data:",
                "style-src 'self' 'unsafe-inline'",  # the demo mailbox shows mails' inline styles
                "frame-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            )
        )

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy())
        return response

    return middleware


def no_store_by_default(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Pages carry personal data, and a form that failed keeps what was typed (its password too,
    unless the password was the problem): no browser or proxy may keep a copy for the next user
    of a shared computer. Responses that chose their own caching (static files) keep it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    return middleware
