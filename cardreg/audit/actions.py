"""Writing audit events. Callers pass already-masked identifiers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cardreg.audit.models import AuditEvent
from cardreg.clientaddr import client_address


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_address(request) or None


def record_event(
    action: str,
    *,
    actor: str = "",
    subject: str = "",
    request: HttpRequest | None = None,
    **detail: Any,
) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action, actor=actor, subject=subject, ip=client_ip(request), detail=detail
    )


def record_counted_event(
    action: str,
    *,
    request: HttpRequest | None,
    window: timedelta,
    tally: str,
    subject: str = "",
    **detail: Any,
) -> AuditEvent:
    """At most one row per action, client address and ``window``: later events within it only
    add to the row's ``count`` and to its tally of ``tally`` values, so a flood of refusals
    cannot grow the table faster than one row a window per address. ``subject`` is the first's."""
    ip = client_ip(request)
    with transaction.atomic():
        since = timezone.now() - window
        recent = AuditEvent.objects.select_for_update().filter(
            action=action, ip=ip, created_at__gt=since
        )
        row = recent.order_by("-created_at").first()
        if row is None:
            detail = {**detail, "count": 1, "tally": {tally: 1}}
            return AuditEvent.objects.create(action=action, subject=subject, ip=ip, detail=detail)
        row.detail["count"] = row.detail.get("count", 1) + 1
        row.detail.setdefault("tally", {})[tally] = row.detail["tally"].get(tally, 0) + 1
        row.save(update_fields=["detail"])
        return row
