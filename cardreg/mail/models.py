"""The outbox: every mail is a row, written in the same transaction as the change it reports."""

from __future__ import annotations

import html
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

MERGE_MARK = "[[merge:{}]]"


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("待寄送")
    SENDING = "sending", _("寄送中")
    SENT = "sent", _("已寄出")
    FAILED = "failed", _("寄送失敗")


class OutboxBody(models.Model):
    """The body shared by the messages of one mail merge (the registrant mails of a batch upload):
    rendered once, with a placeholder (MERGE_MARK) where each message's own values go. Holds no
    secret: the values, which may hold single-use links, stay on the messages."""

    template = models.CharField(max_length=64)
    language = models.CharField(max_length=16)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"OutboxBody {self.pk} {self.template}"


class OutboxMessage(models.Model):
    """One mail, rendered once when queued so that every retry sends exactly the same bytes.

    A worker owns a message while ``status`` is sending and ``lease_until`` lies ahead; a lease
    that ran out means the worker died, and the next sweep takes the message over.
    """

    recipient = models.EmailField(max_length=254)
    template = models.CharField(max_length=64)
    language = models.CharField(max_length=16)
    subject = models.CharField(max_length=255)
    text_body = models.TextField(blank=True)  # blanked after SMTP delivery outside demo mode
    html_body = models.TextField(blank=True)  # idem: bodies can hold single-use links
    # A mail-merge message: the shared body, and its own values as a JSON object of strings
    # (blanked after SMTP delivery like the bodies). text_body and html_body are then empty.
    shared_body = models.ForeignKey(OutboxBody, null=True, blank=True, on_delete=models.PROTECT)
    merge_values = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, unique=True)  # "<...@domain>", kept on retry
    # NULL = no key. Not "" with a partial unique index: SQLite would not use that index to look
    # a key up, and every queue_mail would scan the table.
    dedup_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)  # tries that failed or were interrupted
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)  # which sweep holds the lease
    last_error = models.CharField(max_length=120, blank=True)  # exception type + SMTP code only
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "lease_until"]),
            models.Index(fields=["claim_token"]),
        )

    def __str__(self) -> str:
        return f"OutboxMessage {self.pk} {self.template} {self.status}"

    @property
    def text(self) -> str:
        """The plain-text body as sent."""
        if self.shared_body is None:
            return self.text_body
        return _merge(self.shared_body.text_body, self.merge_values, escape=False)

    @property
    def html(self) -> str:
        """The HTML body as sent ("" for none)."""
        if self.shared_body is None:
            return self.html_body
        return _merge(self.shared_body.html_body, self.merge_values, escape=True)


def _merge(body: str, merge_values: str, *, escape: bool) -> str:
    if not merge_values:
        return ""  # delivered and blanked
    for name, value in json.loads(merge_values).items():
        body = body.replace(MERGE_MARK.format(name), html.escape(value) if escape else value)
    return body


class OutboxAttachment(models.Model):
    """A file sent with a message, e.g. the result log of an employer's batch upload."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127)
    content = models.BinaryField()

    def __str__(self) -> str:
        return f"OutboxAttachment {self.pk} {self.filename}"
