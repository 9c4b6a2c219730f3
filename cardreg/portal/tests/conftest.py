from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningAgent:
    """The real `cardagent serve` process with a virtual reader, as the demo runs it."""

    url: str
    wallet: Path

    def set_slot(self, card_number: str | None) -> None:
        request = urllib.request.Request(  # noqa: S310 - loopback URL built by the fixture
            f"{self.url}/v1/slot",
            data=json.dumps({"card_number": card_number}).encode(),
            headers={"Content-Type": "application/json", "Origin": self.url},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            assert response.status == 200


def start_agent(wallet: Path, allow_origin: str) -> tuple[subprocess.Popen[bytes], RunningAgent]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cardagent",
            "serve",
            "--reader",
            "virtual",
            "--wallet",
            str(wallet),
            "--port",
            str(port),
            "--allow-origin",
            allow_origin,
        ],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/v1/status", timeout=1):  # noqa: S310
                return process, RunningAgent(url=url, wallet=wallet)
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the card agent did not start")


@pytest.fixture
def agent_factory() -> Iterator[object]:
    processes: list[subprocess.Popen[bytes]] = []

    def start(wallet: Path, allow_origin: str) -> RunningAgent:
        process, agent = start_agent(wallet, allow_origin)
        processes.append(process)
        return agent

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=5)
