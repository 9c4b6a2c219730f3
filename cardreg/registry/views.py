"""JSON endpoints for the cascading 縣市 → 鄉鎮市區 → 村里 choices of the household form."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.functional import Promise
from django.views.decorators.http import require_GET

from cardreg.registry import divisions
from cardreg.registry import messages as msg


def _items(choices: list[divisions.Division]) -> JsonResponse:
    return JsonResponse({"items": [{"value": c.name, "label": c.name} for c in choices]})


def _bad(code: str, message: Promise) -> JsonResponse:
    return JsonResponse({"code": code, "message": str(message)}, status=400)


@require_GET
def township_choices(request: HttpRequest) -> JsonResponse:
    county = request.GET.get("county", "").strip()
    if not county:
        return _bad("county_required", msg.COUNTY_REQUIRED)
    choices = divisions.townships(county)
    return _items(choices) if choices else _bad("county_unknown", msg.COUNTY_UNKNOWN)


@require_GET
def village_choices(request: HttpRequest) -> JsonResponse:
    county = request.GET.get("county", "").strip()
    township = request.GET.get("township", "").strip()
    if not county:
        return _bad("county_required", msg.COUNTY_REQUIRED)
    if not township:
        return _bad("township_required", msg.TOWNSHIP_REQUIRED)
    choices = divisions.villages(county, township)
    if choices:
        return _items(choices)
    if not divisions.townships(county):
        return _bad("county_unknown", msg.COUNTY_UNKNOWN)
    return _bad("township_unknown", msg.TOWNSHIP_UNKNOWN)
