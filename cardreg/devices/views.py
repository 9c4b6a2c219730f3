"""Thin views: 行動裝置認證 (bind), 以行動裝置登入 (sign in), 行動裝置管理作業 (manage).

The WebAuthn steps are JSON endpoints called by static/js/devices.js; the pages around them are
plain HTML forms.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cardreg.accounts.access import (
    card_login_required,
    current_account,
    recently_authenticated,
)
from cardreg.accounts.card_again import card_again_page, check_card_again
from cardreg.devices import messages as msg
from cardreg.devices.access import get_device_for_account
from cardreg.devices.actions import (
    BindFailed,
    DeviceLimitReached,
    SigninRefused,
    active_devices,
    bind_device,
    has_room,
    rename_device,
    revoke_device,
    sign_in_with_device,
    start_binding,
    start_signin,
)
from cardreg.devices.forms import DeviceNameForm


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # deeply nested JSON exhausts the decoder's stack
        return {}
    return data if isinstance(data, dict) else {}


def _problem(message: str | Promise, status: int) -> JsonResponse:
    return JsonResponse({"message": str(message)}, status=status)


def _name_error(form: DeviceNameForm) -> str:
    return str(form.errors["name"][0])


def _limit_message() -> str:
    return str(msg.LIMIT_REACHED) % {"max": settings.CARDREG_MAX_DEVICES}


def _bind_failed_message() -> str:
    return str(msg.BIND_FAILED) % {"toll_free": settings.CARDREG_TOLL_FREE}


def _script_config(mode: str, **texts: str | Promise) -> dict[str, Any]:
    common = {
        "working": msg.WORKING,
        "checking": msg.CHECKING,
        "serverUnreachable": msg.SERVER_UNREACHABLE,
    }
    return {
        "mode": mode,
        "optionsUrl": reverse(f"devices:{mode}_options"),
        "verifyUrl": reverse(f"devices:{mode}_verify"),
        "texts": {key: str(text) for key, text in {**common, **texts}.items()},
    }


# --- 行動裝置認證 -------------------------------------------------------------------------------


def _card_again_page(request: HttpRequest, error: str = "") -> HttpResponse:
    return card_again_page(
        request,
        title=msg.BIND_TITLE,
        notice=msg.RECENT_CARD_FOR_BIND,
        action=reverse("devices:bind_card"),
        error=error,
    )


def _stale_card_check() -> JsonResponse:
    """The ceremony stops; the script takes the user to the bind page, which asks for the card."""
    notice = str(msg.RECENT_CARD_FOR_BIND) % {"minutes": settings.CARDREG_RECENT_AUTH_MINUTES}
    return JsonResponse({"message": notice, "redirect": reverse("devices:bind")}, status=403)


@require_GET
@card_login_required
def bind(request: HttpRequest) -> HttpResponse:
    """A new passkey is a new way in: it needs a card login or card read this recent."""
    if not recently_authenticated(request):
        return _card_again_page(request)
    account = current_account(request)
    config = _script_config(
        "bind",
        unsupported=msg.UNSUPPORTED,
        cancelled=msg.BIND_CANCELLED,
        failed=_bind_failed_message(),
        alreadyBound=msg.ALREADY_BOUND,
    )
    context = {
        "count": len(active_devices(account)),
        "max": settings.CARDREG_MAX_DEVICES,
        "limit_message": None if has_room(account) else _limit_message(),
        "config": config,
    }
    return render(request, "devices/bind.html", context)


@require_POST
@card_login_required
def bind_card(request: HttpRequest) -> HttpResponse:
    """The card read again, by the logged-in holder, to open 行動裝置認證."""
    error = check_card_again(request)
    if error:
        return _card_again_page(request, error)
    return redirect("devices:bind")


@require_POST
@card_login_required
def bind_options(request: HttpRequest) -> HttpResponse:
    if not recently_authenticated(request):
        return _stale_card_check()
    form = DeviceNameForm(_json_body(request))
    if not form.is_valid():
        return _problem(_name_error(form), 400)
    try:
        options = start_binding(
            request, account=current_account(request), name=form.cleaned_data["name"]
        )
    except DeviceLimitReached:
        return _problem(_limit_message(), 409)
    return JsonResponse({"options": options})


@require_POST
@card_login_required
def bind_verify(request: HttpRequest) -> HttpResponse:
    if not recently_authenticated(request):
        return _stale_card_check()
    credential = _json_body(request).get("credential")
    try:
        device = bind_device(request, account=current_account(request), credential=credential)
    except DeviceLimitReached:
        return _problem(_limit_message(), 409)
    except BindFailed as exc:
        expired = exc.reason == "expired"
        return _problem(msg.CHALLENGE_EXPIRED if expired else _bind_failed_message(), 400)
    messages.success(request, str(msg.BOUND) % {"name": device.name})
    return JsonResponse({"redirect": reverse("devices:manage")})


# --- 以行動裝置登入 ---------------------------------------------------------------------------


@require_GET
def signin(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:services")
    config = _script_config(
        "signin",
        unsupported=msg.SIGNIN_UNSUPPORTED,
        cancelled=msg.SIGNIN_CANCELLED,
        failed=msg.SIGNIN_REFUSED,
    )
    return render(request, "devices/signin.html", {"config": config})


@require_POST
def signin_options(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"options": start_signin(request)})


@require_POST
def signin_verify(request: HttpRequest) -> HttpResponse:
    try:
        sign_in_with_device(request, credential=_json_body(request).get("credential"))
    except SigninRefused as exc:
        if exc.reason == "wait":
            return _problem(str(msg.SIGNIN_WAIT) % {"seconds": exc.wait}, 429)
        return _problem(msg.SIGNIN_REFUSED, 403)
    return JsonResponse({"redirect": reverse("accounts:services")})


# --- 行動裝置管理作業 -------------------------------------------------------------------------


def _manage_page(request: HttpRequest, status: int = 200, **context: object) -> HttpResponse:
    devices = active_devices(current_account(request))
    context = {"devices": devices, "max": settings.CARDREG_MAX_DEVICES, **context}
    return render(request, "devices/manage.html", context, status=status)


@require_GET
@card_login_required
def manage(request: HttpRequest) -> HttpResponse:
    return _manage_page(request)


@require_POST
@card_login_required
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_device_for_account(current_account(request), pk)
    form = DeviceNameForm(request.POST)
    if not form.is_valid():
        error = _name_error(form)
        return _manage_page(request, 400, rename_pk=device.pk, rename_error=error)
    rename_device(request, device=device, name=form.cleaned_data["name"])
    messages.success(request, str(msg.RENAMED) % {"name": device.name})
    return redirect("devices:manage")


@require_http_methods(["GET", "POST"])
@card_login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks 「確定要移除…?」; only the POST of that page revokes."""
    device = get_device_for_account(current_account(request), pk)
    if request.method == "GET":
        return render(request, "devices/revoke.html", {"device": device})
    revoke_device(request, device=device)
    messages.success(request, str(msg.REVOKED) % {"name": device.name})
    return redirect("devices:manage")
