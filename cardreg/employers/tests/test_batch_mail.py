"""The mails of a batch through a real SMTP server on loopback: the clerk's one mail with the
log attached, and each registrant's link."""

from __future__ import annotations

import pytest

from cardreg.employers import processing
from cardreg.employers.batchlog import read_log
from cardreg.employers.models import Batch, InsuranceUnit
from cardreg.employers.testing import (
    add_people,
    add_roster,
    batch_rows,
    csv_bytes,
    national_ids,
    submitted_batch,
)
from cardreg.mail.delivery import deliver_due
from cardreg.mail.models import MessageStatus, OutboxAttachment, OutboxMessage
from cardreg.mail.tests.conftest import SmtpSink, smtp_server, smtp_sink  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_clerk_gets_the_log_once_and_each_registrant_his_link(
    unit: InsuranceUnit,
    smtp_server: SmtpSink,  # noqa: F811
) -> None:
    ids = national_ids(3)
    add_people(ids)
    add_roster(unit.code, ids[:2])
    rows = batch_rows(ids)
    batch = submitted_batch(unit, csv_bytes(rows), email="hr@example.tw")
    processing.process_next()
    batch = Batch.objects.get(pk=batch.pk)

    first, second = deliver_due(), deliver_due()

    assert (first.sent, second.handled) == (3, 0)
    by_recipient = {r.recipients[0]: r.message for r in smtp_server.received}
    assert sorted(by_recipient) == sorted(["hr@example.tw", rows[0][1], rows[1][1]])
    clerk = by_recipient["hr@example.tw"]
    assert clerk["Subject"] == "健保卡整批註冊網路服務-入檔完成"
    text = clerk.get_body(("plain",))
    assert text is not None
    assert "總共上傳3筆，成功註冊2筆，失敗1筆。入檔資訊詳見附件。" in text.get_content()
    (attachment,) = list(clerk.iter_attachments())
    assert attachment.get_filename() == batch.log_name
    assert attachment.get_payload(decode=True) == read_log(bytes(batch.log or b""))
    registrant = by_recipient[rows[0][1]]
    assert registrant["Subject"] == "健保卡網路服務-註冊成功"
    body = registrant.get_body(("plain",))
    assert body is not None and "/account/activate#" in body.get_content()
    # Delivered: the single-use links and the attachment are gone from the outbox; the log
    # stays on the batch for the history.
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert not OutboxMessage.objects.exclude(merge_values="").exists()
    assert not OutboxAttachment.objects.exists()
    assert Batch.objects.get(pk=batch.pk).log == batch.log
