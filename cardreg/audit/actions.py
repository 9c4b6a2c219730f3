"""Writing audit events. Callers pass already-masked identifiers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cardreg.audit.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
