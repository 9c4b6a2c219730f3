from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cardreg.mail.actions import Attachment, queue_mail
from cardreg.mail.models import OutboxMessage

CONFIRM_URL = "https://portal.example/account/confirm#tok-123"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    peer: Any
    message: EmailMessage


@dataclass
class RecordingHandler:
    """Accepts every mail, or answers RCPT with ``rcpt_reply`` (e.g. "550 5.1.1 no such user")."""

    rcpt_reply: str | None = None
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(envelope.mail_from, envelope.rcpt_tos, session.peer, parsed))
        return "250 Message accepted"


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a loopback port, started and stopped at will."""

    def __init__(self, port: int, handler: RecordingHandler) -> None:
        self.port, self.handler = port, handler
        self._controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> None:
        self._controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, server_hostname="localhost"
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def smtp_sink(settings: Any, db: None) -> Iterator[SmtpSink]:
    """A stopped server whose address is configured: call .start() when it should answer."""
    sink = SmtpSink(free_port(), RecordingHandler())
    settings.CARDREG_MAIL_TRANSPORT = "smtp"
    settings.CARDREG_SMTP_HOST = "127.0.0.1"
    settings.CARDREG_SMTP_PORT = sink.port
    settings.CARDREG_SMTP_SECURITY = "none"
    settings.CARDREG_SMTP_USER = ""
    settings.CARDREG_SMTP_TIMEOUT_SECONDS = 5
    settings.CARDREG_DEMO = False
    yield sink
    sink.stop()


@pytest.fixture
def smtp_server(smtp_sink: SmtpSink) -> SmtpSink:
    smtp_sink.start()
    return smtp_sink


@pytest.fixture
def make_mail(db: None) -> Callable[..., OutboxMessage]:
    """Queue a confirmation mail inside a transaction, as an action would."""
    counter = iter(range(1, 10_000))

    def make(**overrides: Any) -> OutboxMessage:
        n = next(counter)
        arguments: dict[str, Any] = {
            "to": f"person{n}@example.tw",
            "template": "registration_confirm",
            "context": {"name": "王小明", "confirm_url": CONFIRM_URL, "days": 5},
        }
        arguments.update(overrides)
        with transaction.atomic():
            return queue_mail(**arguments)

    return make


@pytest.fixture
def result_log() -> Attachment:
    return Attachment(
        filename="1333974211050713.1050713104533.log",
        content="第1筆資料: A23084**** 非該單位在保保險對象,不入檔!\n".encode(),
        content_type="text/plain; charset=utf-8",
    )


def run_ready_tasks() -> int:
    """Do what `manage.py db_worker --batch` does, in this process and this test's transaction."""
    count = 0
    while (row := DBTaskResult.objects.ready().first()) is not None:
        row.claim("test-worker")
        result = row.task_result
        row.set_successful(result.task.call(*result.args, **result.kwargs))
        count += 1
    return count


def sweeps_waiting() -> list[DBTaskResult[..., Any]]:
    return list(DBTaskResult.objects.filter(status="READY", task_path__endswith="send_queued_mail"))
