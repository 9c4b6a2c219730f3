"""The gate of every API endpoint: method, bearer token, the person's rights now, JSON errors.

A token carries no rights of its own: on every request the token's person's rights in the
token's unit are read again (access.unit_rights), so a revoked grant is refused on the next
request. Sessions and cookies play no part here, so CSRF does not either. Whatever goes wrong
below a view comes back as the JSON error shape, never as an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from cardreg.employers.access import Right, UnitAccess, authenticate_api_token, unit_rights
from cardreg.employers.api.errors import (
    INTERNAL,
    INVALID_TOKEN,
    METHOD_NOT_ALLOWED,
    MISSING_TOKEN,
    NEEDS_READ,
    NEEDS_UPLOAD,
    NO_ACCESS,
    NOT_FOUND,
    ApiError,
    Sentence,
)

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponseBase]
UPLOAD: tuple[Right, ...] = ("upload",)  # 健保卡註冊上傳
READ: tuple[Right, ...] = ("upload", "query")  # either right reads the visible uploads
_NEEDS: dict[tuple[Right, ...], Sentence] = {UPLOAD: NEEDS_UPLOAD, READ: NEEDS_READ}
_REALM = 'Bearer realm="cardreg"'
_MAX_TOKEN_LENGTH = 200  # ours are 43 characters; anything much longer is not one


@dataclass(frozen=True)
class Caller:
    """Who calls: the token's person and his rights in the token's unit, as of this request."""

    national_id: str
    access: UnitAccess


def _bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise MISSING_TOKEN.error(401, "missing_token", {"WWW-Authenticate": _REALM})
    return token.strip()


def authenticate(request: HttpRequest, need: tuple[Right, ...]) -> Caller:
    """The caller of a request that needs one of the rights ``need``; ApiError otherwise."""
    token = _bearer_token(request)
    api_token = authenticate_api_token(token) if len(token) <= _MAX_TOKEN_LENGTH else None
    if api_token is None:
        challenge = f'{_REALM}, error="invalid_token"'
        raise INVALID_TOKEN.error(401, "invalid_token", {"WWW-Authenticate": challenge})
    rights = unit_rights(api_token.national_id, api_token.unit)
    if not rights:
        raise NO_ACCESS.error(403, "no_access")
    if not any(rights.has(right) for right in need):
        raise _NEEDS[need].error(403, "missing_right")
    return Caller(api_token.national_id, UnitAccess(api_token.unit, rights))


def _answer(
    request: HttpRequest, methods: tuple[str, ...], call: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    try:
        if request.method not in methods:
            allowed = ", ".join(methods)
            raise METHOD_NOT_ALLOWED.error(
                405,
                "method_not_allowed",
                {"Allow": allowed},
                method=str(request.method)[:10],
                allowed=allowed,
            )
        response = call()
    except ApiError as error:
        response = error.response()
    except Http404:
        response = NOT_FOUND.error(404, "not_found").response()
    except Exception:
        # Reported as Django reports a 500 (the test client re-raises it), answered as JSON.
        logger.exception("API %s %s failed", request.method, request.path)
        got_request_exception.send(sender=None, request=request)
        response = INTERNAL.error(500, "internal_error").response()
    response["Cache-Control"] = "no-store"  # personal data: no cache keeps a copy
    return response


def api_view(need: Mapping[str, tuple[Right, ...]]) -> Callable[[View], View]:
    """An endpoint answering the methods of ``need``, each needing one of its rights; the view
    is called as ``view(request, caller, **url_kwargs)``."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            def call() -> HttpResponseBase:
                caller = authenticate(request, need[str(request.method)])
                return view(request, caller, **kwargs)

            return _answer(request, tuple(need), call)

        return wrapped

    return decorate


def public_view(*methods: str) -> Callable[[View], View]:
    """An endpoint without a token (the OpenAPI document)."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            return _answer(request, methods, lambda: view(request, **kwargs))

        return wrapped

    return decorate


@csrf_exempt
def not_found(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
    """Any other URL under /api/v1/: the JSON 404, not the site's HTML page."""
    return _answer(request, (str(request.method),), _raise_404)


def _raise_404() -> HttpResponseBase:
    raise Http404
