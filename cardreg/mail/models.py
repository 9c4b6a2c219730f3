"""The outbox: every mail is a row, written in the same transaction as the change it reports."""

from __future__ import annotations

import html

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cardreg.dbfields import RowIdAutoField

MERGE_MARK = "[[merge:{}]]"
MERGE_SEPARATOR = "\x1f"  # ASCII unit separator: between a message's values, in no value


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
    fields = models.CharField(max_length=200)  # the placeholders' names, comma-separated
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

    id = RowIdAutoField(primary_key=True)  # a batch upload writes one per employee
    recipient = models.EmailField(max_length=254)
    template = models.CharField(max_length=64)
    language = models.CharField(max_length=16)
    subject = models.CharField(max_length=255)
    # The database defaults serve the mail merge, which inserts rows without the ORM and names
    # only the columns that differ from message to message.
    text_body = models.TextField(blank=True, default="", db_default="")  # blanked once sent
    html_body = models.TextField(blank=True, default="", db_default="")  # (single-use links)
    # A mail-merge message: the shared body, and its own values in the order of the body's
    # fields, joined by MERGE_SEPARATOR (blanked after SMTP delivery like the bodies; they may
    # hold a link's token). text_body and html_body are then empty.
    # No database constraint: PostgreSQL would check it once per message of a mail merge (100,000
    # checks of the one body its transaction just created); Django protects the body.
    shared_body = models.ForeignKey(
        OutboxBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    merge_values = models.TextField(blank=True)
    # "<...@domain>", kept on retry. Unique by construction (a uuid4, or a uuid4 prefix and a
    # counter) and never looked up: no index to keep up on every insert.
    message_id = models.CharField(max_length=255)
    # NULL = no key. Unique among the keys only (a partial index): a batch's thousands of
    # messages without a key add nothing to it. Queries say dedup_key = %s, which both SQLite and
    # PostgreSQL know implies IS NOT NULL, so they use it.
    dedup_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    status = models.CharField(
        max_length=16,
        choices=MessageStatus.choices,
        default=MessageStatus.PENDING,
        db_default=MessageStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(
        default=0, db_default=0
    )  # tries that failed or were interrupted
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(
        max_length=32, blank=True, default="", db_default=""
    )  # which sweep holds the lease
    last_error = models.CharField(
        max_length=120, blank=True, default="", db_default=""
    )  # exception type + SMTP code only
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (
            models.Index(fields=["status", "next_attempt_at"]),
            # Partial: only the few messages being sent are in them, so the many new ones of a
            # batch upload cost no update of these indexes.
            models.Index(
                fields=["status", "lease_until"],
                condition=Q(status=MessageStatus.SENDING),
                name="mail_outbox_sending_lease",
            ),
            models.Index(
                fields=["claim_token"], condition=~Q(claim_token=""), name="mail_outbox_claimed"
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=Q(dedup_key__isnull=False),
                name="mail_outbox_dedup_key_once",
            ),
        )

    def __str__(self) -> str:
        return f"OutboxMessage {self.pk} {self.template} {self.status}"

    @property
    def text(self) -> str:
        """The plain-text body as sent."""
        if self.shared_body is None:
            return self.text_body
        return _merge(self.shared_body, self.shared_body.text_body, self.merge_values, escape=False)

    @property
    def html(self) -> str:
        """The HTML body as sent ("" for none)."""
        if self.shared_body is None:
            return self.html_body
        return _merge(self.shared_body, self.shared_body.html_body, self.merge_values, escape=True)


def _merge(shared: OutboxBody, body: str, merge_values: str, *, escape: bool) -> str:
    if not merge_values:
        return ""  # delivered and blanked
    values = merge_values.split(MERGE_SEPARATOR)
    for name, value in zip(shared.fields.split(","), values, strict=True):
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
