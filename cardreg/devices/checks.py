"""A loud reminder when passkey sessions would outlive their revoked device."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

MIDDLEWARE = "cardreg.devices.middleware.end_revoked_device_sessions"


@checks.register(checks.Tags.security)
def device_middleware_installed(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [
        checks.Warning(
            "Revoking a device does not end the sessions that signed in with it.",
            hint=f"Add {MIDDLEWARE!r} to MIDDLEWARE after MessageMiddleware.",
            id="devices.W001",
        )
    ]
