"""Start-up checks: a misconfigured household register stops the server instead of every user."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from cardreg.registry.household import household_register


def check_household_register(**kwargs: Any) -> list[CheckMessage]:
    try:
        household_register()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="registry.E001")]
    if settings.CARDREG_HOUSEHOLD_TIMEOUT_SECONDS <= 0:
        return [Error("CARDREG_HOUSEHOLD_TIMEOUT_SECONDS must be positive", id="registry.E002")]
    if settings.CARDREG_HOUSEHOLD_RETRIES < 0:
        return [Error("CARDREG_HOUSEHOLD_RETRIES must be 0 or more", id="registry.E003")]
    return []
