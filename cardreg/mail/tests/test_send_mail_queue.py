"""`manage.py send_mail_queue`: one sweep by hand (or cron), which also re-seeds the schedule."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

from django.core.management import call_command

from cardreg.mail.models import MessageStatus, OutboxMessage
from cardreg.mail.tests.conftest import SmtpSink, sweeps_waiting


def test_the_command_sends_what_is_due(
    smtp_server: SmtpSink, make_mail: Callable[..., OutboxMessage]
) -> None:
    message = make_mail()
    out = StringIO()
    call_command("send_mail_queue", stdout=out)
    assert out.getvalue().strip() == "sent 1, to retry 0, failed 0"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(smtp_server.received) == 1
    assert len(sweeps_waiting()) == 1  # the heartbeat the worker will run
