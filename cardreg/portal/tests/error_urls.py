"""The site's URLs and error handlers, plus views that fail, for the error-page tests."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cardreg.urls import handler400, handler403, handler404, handler500
from cardreg.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def _raising(error: Exception) -> Callable[[HttpRequest], HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        raise error

    return view


urlpatterns = [
    path("failing/400", _raising(SuspiciousOperation("a malformed request"))),
    path("failing/403", _raising(PermissionDenied())),
    path("failing/500", _raising(OperationalError("the database is down"))),
    *site_urlpatterns,
]
