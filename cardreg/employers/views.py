"""The employer portal (多憑證網路承保作業): login, the units, a unit's menu, the example file.

Roles are in views_roles.py, uploads and their history in views_batches.py.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cardreg.accounts.access import current_account, logged_in_with_card
from cardreg.accounts.actions import LoginRefused, login_with_card
from cardreg.accounts.views import card_page, login_refused_message, proof_error
from cardreg.cards.actions import NoFreshCardProof, take_card_proof
from cardreg.employers.access import UnitAccess, units_for
from cardreg.employers.batch_pages import example_csv
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
    try:
        card = take_card_proof(request)
        login_with_card(request, card_person=card.person, password=request.POST.get("password", ""))
    except NoFreshCardProof as exc:
        error = proof_error(exc)
    except LoginRefused as exc:
        error = login_refused_message(exc)
    else:
        return redirect(_next_page(request))
    context = {"error": error, "next": request.POST.get("next", "")}
    return card_page(request, "employers/login.html", **context)


@require_GET
@employer_login_required
def home(request: HttpRequest) -> HttpResponse:
    """The units the logged-in person may act for."""
    units = units_for(current_account(request).national_id)
    return render(request, "employers/home.html", {"units": units})


@require_GET
@unit_page()
def unit_menu(request: HttpRequest, access: UnitAccess) -> HttpResponse:
    return render(request, "employers/unit.html", {"access": access})


@require_GET
@employer_login_required
def example(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(example_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="example.csv"'
    return response
