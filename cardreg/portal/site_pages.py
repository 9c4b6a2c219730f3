"""What every site answers whatever it does: the error pages (400, 403, 404, 500), the page of an
expired form (a CSRF failure) and /favicon.ico. The error pages use the site's layout, in the
visitor's language, and lead back to the home page (and to the previous page when it was ours)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

from cardreg.portal.context import site


def _back_url(request: HttpRequest) -> str:
    """The page the visitor came from (上一頁) if it is one of ours; "" otherwise."""
    referer = request.headers.get("referer", "")
    ours = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if ours else ""


def _with_request(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    return render(request, template_name, {"back_url": _back_url(request)}, status=status)


def _without_request(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    # No request context: its processors read the session and the user, which needs the database
    # (perhaps the very thing that failed) and a request that may be malformed. The layout then
    # leaves out what needs them (logout, language switch).
    return HttpResponse(loader.render_to_string(template_name, site(request)), status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _without_request(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _with_request(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _with_request(request, "404.html", 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _without_request(request, "500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: almost always a form left open until its token expired."""
    return _with_request(request, "403_csrf.html", 403)


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page links to."""
    return HttpResponseRedirect(static("favicon.ico"))
