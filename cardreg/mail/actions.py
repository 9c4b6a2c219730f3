"""Queueing mail: render once, store in the outbox inside the caller's transaction, wake a worker
after commit. Delivery itself is in cardreg.mail.delivery (the worker's side)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cardreg.lib.masking import mask_email
from cardreg.lib.roc_date import format_roc_text
from cardreg.mail.delivery import deliver_due
from cardreg.mail.models import OutboxAttachment, OutboxMessage
from cardreg.mail.tasks import wake_worker
from cardreg.mail.transports import sender_domain

__all__ = ["Attachment", "deliver_due", "mail_date", "queue_mail", "render_mail"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"  # e.g. "text/plain; charset=utf-8"


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def mail_date(day: dt.date, language: str) -> str:
    """民國105年07月13日, or 2016-07-13 in an English mail."""
    return day.isoformat() if language.startswith("en") else format_roc_text(day)


def render_mail(template: str, context: Mapping[str, Any], language: str) -> RenderedMail:
    """Render templates/mail/<template>.subject.txt, .txt and .html in ``language``."""
    context = {
        "public_url": settings.CARDREG_PUBLIC_URL.rstrip("/"),
        "toll_free": settings.CARDREG_TOLL_FREE,
        "feedback_url": settings.CARDREG_FEEDBACK_URL,
        "mailed_on": mail_date(timezone.localdate(), language),  # the agency's sign-off
        **context,
    }
    with translation.override(language):
        subject = render_to_string(f"mail/{template}.subject.txt", context)
        text = render_to_string(f"mail/{template}.txt", context)
        html = render_to_string(f"mail/{template}.html", context)
    return RenderedMail(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html)


def queue_mail(
    *,
    to: str,
    template: str,
    context: Mapping[str, Any],
    language: str = "zh-hant",
    attachments: Sequence[Attachment] = (),
    dedup_key: str | None = None,
) -> OutboxMessage:
    """Store one mail for delivery once the caller's transaction commits; call it inside that
    transaction, so the mail and the change it reports are saved (or rolled back) together.

    With ``dedup_key``, a second call with the same key returns the first message, unchanged.
    """
    validate_email(to)  # the caller's form checked it; a bad address here is a bug, say so now
    if dedup_key:
        existing = OutboxMessage.objects.filter(dedup_key=dedup_key).first()
        if existing is not None:
            return existing
    rendered = render_mail(template, context, language)
    now = timezone.now()
    message = OutboxMessage(
        recipient=to,
        template=template,
        language=language,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        message_id=f"<{uuid.uuid4().hex}@{sender_domain()}>",
        dedup_key=dedup_key or None,
        next_attempt_at=now,
        created_at=now,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        if not dedup_key:
            raise
        # Another transaction stored the same key between our check and our insert.
        return OutboxMessage.objects.get(dedup_key=dedup_key)
    OutboxAttachment.objects.bulk_create(
        OutboxAttachment(
            message=message, filename=a.filename, content_type=a.content_type, content=a.content
        )
        for a in attachments
    )
    wake_worker()
    logger.debug("mail %s (%s) queued for %s", message.pk, template, mask_email(to))
    return message
