"""The employer portal (多憑證網路承保作業): login, the units, a unit's menu.

Roles are in views_roles.py, uploads and their history in views_batches.py.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cardreg.accounts.access import current_account, logged_in_with_card
from cardreg.accounts.views import card_login, card_page
from cardreg.employers.access import UnitAccess, units_for
from cardreg.employers.messages import rights_text
from cardreg.employers.page_access import employer_login_required, unit_page

HOME = "/employer/"


def _next_page(request: HttpRequest) -> str:
    """Where to go after login: back to the employer page asked for, else the unit list."""
    wanted = request.POST.get("next", "")
    return wanted if wanted.startswith(HOME) and "//" not in wanted else HOME


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """多憑證網路承保作業 login: a registered NHI card + the registration password."""
    next_page = request.GET.get("next", "")
    if request.method == "GET":
        if logged_in_with_card(request):
            return redirect(HOME)
        return card_page(request, "employers/login.html", next=next_page)
    refused = card_login(request, "employers/login.html", next=request.POST.get("next", ""))
    return refused or redirect(_next_page(request))


@require_GET
@employer_login_required
def home(request: HttpRequest) -> HttpResponse:
    """The units the logged-in person may act for."""
    held = units_for(current_account(request).national_id)
    units = [(access, rights_text(access.rights)) for access in held]
    return render(request, "employers/home.html", {"units": units})


@require_GET
@unit_page()
def unit_menu(request: HttpRequest, access: UnitAccess) -> HttpResponse:
    return render(request, "employers/unit.html", {"access": access})
