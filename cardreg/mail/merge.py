"""Mail merge: many messages that differ only in a few values (a batch upload's registrant mails).

queue_mail renders three templates per message (~1.9 ms); 100,000 registrants would spend
minutes on it and store the same few kilobytes 100,000 times. Here the templates are rendered
once into an OutboxBody with a placeholder for each value, and each message row holds only its
address and values. Delivery substitutes them (OutboxMessage.text / .html), so every retry
still sends exactly the same bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cardreg.bulk import BulkWriter, db_datetime
from cardreg.mail.actions import render_mail
from cardreg.mail.models import (
    MERGE_MARK,
    MERGE_SEPARATOR,
    OutboxBody,
    OutboxMessage,
)
from cardreg.mail.tasks import wake_worker
from cardreg.mail.transports import sender_domain

_FIELDS = (  # the others have database defaults
    "recipient",
    "template",
    "language",
    "subject",
    "shared_body",
    "merge_values",
    "message_id",
    "next_attempt_at",
    "created_at",
)


@dataclass(frozen=True)
class MergeMail:
    body: OutboxBody
    subject: str


def prepare_merge(
    template: str, context: Mapping[str, Any], merge_fields: Sequence[str], language: str
) -> MergeMail:
    """Render ``template`` once; each name of ``merge_fields`` becomes a placeholder for the
    value each message brings. Values must be plain text: they are HTML-escaped in the HTML part
    (so a value inside an attribute must be URL-safe, as a link's token is)."""
    marks = {name: MERGE_MARK.format(name) for name in merge_fields}
    rendered = render_mail(template, {**context, **marks}, language)
    body = OutboxBody.objects.create(
        template=template,
        language=language,
        fields=",".join(merge_fields),
        text_body=rendered.text,
        html_body=rendered.html,
        created_at=timezone.now(),
    )
    return MergeMail(body=body, subject=rendered.subject)


def queue_merged(merge: MergeMail, messages: Iterable[tuple[str, Sequence[str]]]) -> int:
    """Store one message per (address, values) for delivery once the caller's transaction
    commits; returns how many. The values come in the order of prepare_merge's fields; the
    addresses must have been validated by the caller."""
    body = merge.body
    now = db_datetime(timezone.now())
    domain = sender_domain()
    # One random prefix per call and a counter: unique like a uuid4 each, and cheaper to index
    # (ascending keys append to the unique index instead of splitting pages all over it).
    prefix = uuid.uuid4().hex
    rows = [
        (
            to,
            body.template,
            body.language,
            merge.subject,
            body.pk,
            _joined(values),
            f"<{prefix}.{n}@{domain}>",
            now,
            now,
        )
        for n, (to, values) in enumerate(messages)
    ]
    if rows:
        BulkWriter(OutboxMessage, _FIELDS).write(rows)
        wake_worker()
    return len(rows)


def _joined(values: Sequence[str]) -> str:
    joined = MERGE_SEPARATOR.join(values)
    if joined.count(MERGE_SEPARATOR) != len(values) - 1:
        raise ValueError("a mail-merge value holds the separator")
    return joined
