from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cardreg.cards.widget import reader_config
from cardreg.portal.codes import explained_codes
from cardreg.portal.demo import DEMO_UNIT_CODE, DEMO_UNIT_NAME, demo_people


def environment_check(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/environment_check.html", {"config": reader_config()})


def setup_guide(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/setup_guide.html", {"agent_url": settings.CARDREG_AGENT_URL})


def card_errors(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/card_errors.html", {"codes": explained_codes()})


def demo_people_page(request: HttpRequest) -> HttpResponse:
    """(Demo only) who the demo cards belong to, with the household data registration asks for."""
    if not settings.CARDREG_DEMO:
        raise Http404
    context = {"people": demo_people(), "unit_code": DEMO_UNIT_CODE, "unit_name": DEMO_UNIT_NAME}
    return render(request, "portal/demo_people.html", context)
