"""Delivery to a real SMTP server on loopback: headers, parts, attachment, one connection."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from cardreg.mail.actions import Attachment
from cardreg.mail.delivery import deliver_due
from cardreg.mail.models import MessageStatus, OutboxAttachment, OutboxMessage
from cardreg.mail.tests.conftest import CONFIRM_URL, SmtpSink
from cardreg.mail.transports import SmtpTransport

MakeMail = Callable[..., OutboxMessage]


def test_the_server_receives_one_complete_mail(
    smtp_server: SmtpSink, make_mail: MakeMail, result_log: Attachment
) -> None:
    message = make_mail(to="wang@example.tw", attachments=[result_log])
    result = deliver_due()
    assert (result.sent, result.retrying, result.failed) == (1, 0, 0)
    [received] = smtp_server.received
    assert received.sender == "no-reply@nhi.example"
    assert received.recipients == ["wang@example.tw"]
    mail = received.message
    assert mail["Subject"] == "健保卡網路服務註冊-電子信箱認證信"
    assert mail["To"] == "wang@example.tw"
    assert mail["From"].addresses[0].display_name == "健保署"
    assert mail["Message-ID"] == message.message_id
    assert mail["Auto-Submitted"] == "auto-generated"
    text, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert text is not None and CONFIRM_URL in text.get_content()
    assert html is not None and f'href="{CONFIRM_URL}"' in html.get_content()
    [attachment] = mail.iter_attachments()
    assert attachment.get_filename() == result_log.filename
    assert attachment.get_content_type() == "text/plain"
    assert attachment.get_content() == result_log.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.sent_at is not None and message.attempts == 0


def test_a_chinese_file_name_survives(smtp_server: SmtpSink, make_mail: MakeMail) -> None:
    log = Attachment(filename="入檔結果.log", content=b"ok\n", content_type="text/plain")
    make_mail(attachments=[log])
    deliver_due()
    [attachment] = smtp_server.received[0].message.iter_attachments()
    assert attachment.get_filename() == "入檔結果.log"


def test_one_connection_carries_a_whole_sweep(smtp_server: SmtpSink, make_mail: MakeMail) -> None:
    for _ in range(5):
        make_mail()
    assert deliver_due().sent == 5
    assert len(smtp_server.received) == 5
    assert len({r.peer for r in smtp_server.received}) == 1


def test_bodies_and_attachments_are_dropped_after_delivery(
    smtp_server: SmtpSink, make_mail: MakeMail, result_log: Attachment
) -> None:
    message = make_mail(attachments=[result_log])
    deliver_due()
    message.refresh_from_db()
    assert (message.text_body, message.html_body) == ("", "")
    assert message.subject and message.recipient and message.status == MessageStatus.SENT
    assert OutboxAttachment.objects.count() == 0


def test_demo_mode_keeps_the_bodies(
    smtp_server: SmtpSink, make_mail: MakeMail, settings: Any, result_log: Attachment
) -> None:
    settings.CARDREG_DEMO = True
    message = make_mail(attachments=[result_log])
    deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert CONFIRM_URL in message.text_body
    assert OutboxAttachment.objects.count() == 1


def test_the_demo_transport_sends_nothing_and_marks_sent(
    make_mail: MakeMail, settings: Any
) -> None:
    settings.CARDREG_MAIL_TRANSPORT = "demo"
    settings.CARDREG_SMTP_PORT = 9  # nothing listens: the demo transport must not connect
    message = make_mail()
    assert deliver_due().sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_logs_hold_no_address_body_or_link(
    smtp_server: SmtpSink, make_mail: MakeMail, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="cardreg.mail")
    make_mail(to="wang.xiaoming@example.tw")
    deliver_due()
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("cardreg"))
    assert "wa***@example.tw" in logged
    assert "wang.xiaoming" not in logged
    assert CONFIRM_URL not in logged and "王小明" not in logged


def test_an_unknown_security_setting_is_refused(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.CARDREG_SMTP_SECURITY = "ssl"
    with pytest.raises(ImproperlyConfigured):
        SmtpTransport()
