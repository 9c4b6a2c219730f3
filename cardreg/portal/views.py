from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cardreg.portal.codes import explained_codes
from cardreg.portal.envcheck import browser_texts


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def environment_check(request: HttpRequest) -> HttpResponse:
    config = {
        "agentUrl": settings.CARDREG_AGENT_URL,
        "minVersion": settings.CARDREG_AGENT_MIN_VERSION,
        "challengeUrl": reverse("cards:challenge"),
        "verifyUrl": reverse("cards:verify"),
        "texts": browser_texts(),
    }
    return render(request, "portal/environment_check.html", {"config": config})


def card_errors(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/card_errors.html", {"codes": explained_codes()})
