from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """Values every page's layout needs."""
    return {
        "toll_free": settings.CARDREG_TOLL_FREE,
        "demo_mode": settings.CARDREG_DEMO,
        "agent_slot_url": settings.CARDREG_AGENT_URL.rstrip("/") + "/",
    }
