"""The gate of every employer page: card + password login, then the unit and the right.

``unit_page(need)`` turns the ``<code>`` of the URL into the caller's UnitAccess through
access.get_unit_for_user (404 outside the unit, 403 without the right), so a view never looks
a unit up by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from cardreg.accounts.access import card_login_required, current_account
from cardreg.employers.access import (
    MissingRight,
    Right,
    UnitAccess,
    administrator_name,
    get_unit_for_user,
)
from cardreg.employers.messages import missing_right_message

View = Callable[..., HttpResponseBase]
UnitView = Callable[..., HttpResponseBase]  # (request, access: UnitAccess, *args) -> response


def employer_login_required(view: View) -> View:
    """Logged in with card + password (a passkey session gets card_login_required's 403 page);
    an anonymous visitor goes to the employer login page, and comes back after it."""
    guarded = card_login_required(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("employers:login"))
        try:
            return guarded(request, *args, **kwargs)
        except MissingRight as missing:
            return _missing_right_page(request, missing)

    return wrapped


def _missing_right_page(request: HttpRequest, missing: MissingRight) -> HttpResponse:
    explanation = missing_right_message(missing.right, administrator_name(missing.unit))
    context = {"unit": missing.unit, "explanation": explanation}
    return render(request, "employers/missing_right.html", context, status=403)


def unit_page(need: Right | None = None) -> Callable[[UnitView], View]:
    """A page of one unit (URL keyword ``code``) that needs the right ``need`` there (None: any
    right); the view is called with the UnitAccess instead of the code."""

    def decorate(view: UnitView) -> View:
        @employer_login_required
        @wraps(view)
        def wrapped(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            access = get_unit_for_user(current_account(request), code, need=need)
            return view(request, access, *args, **kwargs)

        return wrapped

    return decorate


def require_batch_right(access: UnitAccess) -> None:
    """A batch's status and downloads: for whoever may upload or query in the unit."""
    if not (access.rights.can_upload or access.rights.can_query):
        raise MissingRight("query", access.unit)
