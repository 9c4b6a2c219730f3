from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cardreg.cards.widget import reader_config
from cardreg.portal.codes import explained_codes
from cardreg.portal.demo import (
    DEMO_UNIT_CODE,
    DEMO_UNIT_NAME,
    demo_people,
    insured_by_demo_unit,
)
from cardreg.portal.downloads import download_context, find_download


def environment_check(request: HttpRequest) -> HttpResponse:
    context = {"config": reader_config(), "agent": download_context(request)}
    return render(request, "portal/environment_check.html", context)


def setup_guide(request: HttpRequest) -> HttpResponse:
    context = {"agent_url": settings.CARDREG_AGENT_URL, "agent": download_context(request)}
    return render(request, "portal/setup_guide.html", context)


@require_safe
def agent_download(request: HttpRequest, name: str) -> FileResponse:
    """The card agent's package or source archive, if this server has it (bin/build-agent-deb)."""
    download = find_download(name)
    if download is None:
        raise Http404
    return FileResponse(download.path.open("rb"), as_attachment=True, filename=download.name)


def card_errors(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/card_errors.html", {"codes": explained_codes()})


def demo_people_page(request: HttpRequest) -> HttpResponse:
    """(Demo only) who the demo cards belong to, with the household data registration asks for
    and the full national ID a batch file needs: all of it made up, so nothing is masked."""
    if not settings.CARDREG_DEMO:
        raise Http404
    people = demo_people()
    context = {
        "people": people,
        "insured": insured_by_demo_unit(people, timezone.localdate()),
        "unit_code": DEMO_UNIT_CODE,
        "unit_name": DEMO_UNIT_NAME,
    }
    return render(request, "portal/demo_people.html", context)
