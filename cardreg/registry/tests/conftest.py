from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cardreg.registry.demo import load_demo_divisions

REGISTER_TOKEN = "register-token-for-tests"


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write `text` to a CSV file in `encoding` (what Excel would have saved)."""

    def write(text: str, encoding: str = "utf-8", name: str = "file.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def divisions(db: None) -> None:
    load_demo_divisions()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b'{"match": true}'
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeRegister:
    """A household register web service on loopback; answers with `replies` in turn (the last
    one again and again) and keeps what it was asked."""

    url: str
    replies: list[Reply] = field(default_factory=lambda: [Reply()])
    requests: list[dict[str, Any]] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def next_reply(self) -> Reply:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up on a slow answer is what some tests want


@pytest.fixture
def fake_register(settings: Any) -> Iterator[FakeRegister]:
    """The real HTTP adapter, configured in the settings, talking to a real server."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            register.requests.append(json.loads(body))
            register.content_types.append(self.headers["Content-Type"])
            register.authorizations.append(self.headers.get("Authorization"))
            reply = register.next_reply()
            if reply.delay and register.stopping.wait(reply.delay):
                return
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = _QuietServer(("127.0.0.1", 0), Handler)
    register = FakeRegister(url=f"http://127.0.0.1:{server.server_address[1]}/v1/household-check")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.CARDREG_HOUSEHOLD_REGISTER = "http"
    settings.CARDREG_HOUSEHOLD_URL = register.url
    settings.CARDREG_HOUSEHOLD_TIMEOUT_SECONDS = 1.0
    settings.CARDREG_HOUSEHOLD_RETRIES = 1
    settings.CARDREG_HOUSEHOLD_TOKEN = REGISTER_TOKEN
    yield register
    register.stopping.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
