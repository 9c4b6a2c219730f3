"""The real `manage.py db_worker` against a file database: it delivers, and after a SIGKILL
mid-send the scheduled sweep delivers again (same Message-ID) once the lease has run out."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cardreg.mail.tests.conftest import RecordingHandler, SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[3]
QUEUE_ONE = """
from django.db import transaction
from cardreg.mail.actions import queue_mail
with transaction.atomic():
    queue_mail(to="wang@example.tw", template="registration_confirm",
               context={"name": "王小明", "confirm_url": "https://p.example/c#t", "days": 5})
"""


class HoldingHandler(RecordingHandler):
    """Stores the message, then waits before answering 250: the window in which a killed worker
    has handed the mail over without learning it, the one case where a mail goes out twice."""

    def __init__(self) -> None:
        super().__init__()
        self.data_started = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        self.data_started.set()
        while not self.release.is_set():
            await asyncio.sleep(0.01)
        return reply


class Project:
    def __init__(self, tmp_path: Path, smtp_port: int) -> None:
        self.db = tmp_path / "cardreg.sqlite3"
        self.env = {
            **os.environ,
            "DJANGO_SECRET_KEY": "test-only",
            "DATABASE_URL": f"sqlite:///{self.db}",
            "CARDREG_VAR_DIR": str(tmp_path),
            "CARDREG_DEMO": "false",
            "CARDREG_MAIL_TRANSPORT": "smtp",
            "CARDREG_SMTP_HOST": "127.0.0.1",
            "CARDREG_SMTP_PORT": str(smtp_port),
        }
        self.env.pop("PYTEST_VERSION", None)
        self.env.pop("PYTEST_CURRENT_TEST", None)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, str(ROOT / "manage.py"), *args]

    def run(self, *args: str) -> None:
        subprocess.run(self.command(*args), cwd=ROOT, env=self.env, check=True, capture_output=True)

    def worker(self, *extra: str) -> list[str]:
        return self.command("db_worker", "--no-startup-delay", "--skip-checks", *extra)

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db) as connection:
            return connection.execute(query).fetchall()


@pytest.fixture
def holding_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(free_port(), HoldingHandler())
    sink.start()
    yield sink
    sink.stop()


def test_db_worker_delivers_and_recovers_from_a_kill_mid_send(
    tmp_path: Path, holding_sink: SmtpSink
) -> None:
    handler = holding_sink.handler
    assert isinstance(handler, HoldingHandler)
    project = Project(tmp_path, holding_sink.port)
    project.run("migrate", "--skip-checks")
    project.run("shell", "-c", QUEUE_ONE)

    worker = subprocess.Popen(
        project.worker("--interval", "0.1"),
        cwd=ROOT,
        env=project.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert handler.data_started.wait(timeout=30), "the worker never sent the mail"
    finally:
        worker.kill()  # SIGKILL between the server's receipt and "mark sent"
        worker.wait()
    handler.release.set()

    assert project.sql("SELECT status FROM mail_outboxmessage") == [("sending",)]
    tasks = project.sql("SELECT status FROM django_tasks_database_dbtaskresult ORDER BY status")
    assert tasks == [("READY",), ("RUNNING",)]  # the killed sweep, and the one it scheduled first

    # Ten minutes later: the lease has run out and the scheduled sweep is due.
    project.sql("UPDATE mail_outboxmessage SET lease_until = '2000-01-01 00:00:00'")
    project.sql(
        "UPDATE django_tasks_database_dbtaskresult SET run_after = '2000-01-01 00:00:00' "
        "WHERE status = 'READY'"
    )
    project.run("db_worker", "--batch", "--no-startup-delay", "--skip-checks")

    assert project.sql("SELECT status, attempts FROM mail_outboxmessage") == [("sent", 1)]
    first, second = holding_sink.received
    assert first.message["Message-ID"] == second.message["Message-ID"]
