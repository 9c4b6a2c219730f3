"""The demo on ports other than 8000 (`PORT=8101 bin/demo`): its environment comes from
bin/demo-env, the same file bin/demo sources, and a mailed link must lead back to that portal.

Real processes: the portal as the demo starts it (gunicorn) and the demo's card agent with its
virtual reader, on free ports, with a temporary var directory and SQLite file (never var/). A
demo person registers through HTTP as his browser would; the link of his confirmation mail is
read from the demo mailbox and opened."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cardreg.accounts.tests.conftest import GOOD_DETAILS
from cardreg.cards.testing import free_port
from cardreg.conftest import require_tool
from cardreg.portal.demo import demo_people

ROOT = Path(__file__).resolve().parents[3]
# Settings of the developer's shell or of the test run must not leak into the demo.
FOREIGN = ("CARDREG_", "DJANGO_", "DATABASE_URL", "PYTEST_")


@dataclass
class Demo:
    portal: str  # the addresses bin/demo tells the user to open
    agent: str


def in_demo_env(script: str) -> list[str]:
    """``script`` run by bash after sourcing bin/demo-env, as bin/demo does."""
    return ["bash", "-c", f"source bin/demo-env && {script}"]


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - loopback
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.1)
    pytest.fail(f"{url} did not answer:\n{log.read_text(errors='replace')}")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    require_tool("bash", "the demo is a bash script")
    port, agent_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN)} | {
        "PORT": str(port),
        "AGENT_PORT": str(agent_port),
        "CARDREG_VAR_DIR": str(tmp_path),
    }
    manage = f"{sys.executable} manage.py"
    prepared = subprocess.run(
        in_demo_env(f'{manage} migrate --no-input && {manage} load_demo --wallet "$DEMO_WALLET"'),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert prepared.returncode == 0, prepared.stderr
    assert (tmp_path / "cardreg.sqlite3").is_file()  # not var/
    demo = Demo(f"http://localhost:{port}", f"http://127.0.0.1:{agent_port}")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        started = (("demo_portal", f"{demo.portal}/"), ("demo_agent", f"{demo.agent}/v1/status"))
        for function, url in started:
            log = tmp_path / f"{function}.log"
            with log.open("wb") as output:
                process = subprocess.Popen(
                    in_demo_env(function), cwd=ROOT, env=env, stdout=output, stderr=output
                )
            processes.append(process)
            wait_until_up(url, process, log)
        yield demo
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Browser:
    """What the user's browser does without its scripts: cookies, and the CSRF header the
    pages' scripts send."""

    def __init__(self, portal: str) -> None:
        self.portal = portal
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def open(
        self, path_or_url: str, data: dict[str, Any] | None = None, *, as_json: bool = False
    ) -> tuple[str, str]:
        """(final URL, page) of a GET, or of a POST of ``data`` (redirects followed)."""
        url = path_or_url if "://" in path_or_url else self.portal + path_or_url
        body = None
        headers = {"Accept-Language": "zh-TW"}
        if data is not None:
            csrf = next(c.value for c in self.cookies if c.name == "csrftoken")
            headers["X-CSRFToken"] = csrf or ""
            if as_json:
                body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
            else:
                body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
        with self.opener.open(request, timeout=10) as response:
            return response.geturl(), response.read().decode()


def sign_with_agent(agent: str, portal: str, challenge: str) -> dict[str, str]:
    """The card agent signs the challenge with the inserted virtual card, for the portal page."""
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{agent}/v1/sign",
        data=json.dumps({"challenge": challenge, "origin": portal}).encode(),
        headers={"Content-Type": "application/json", "Origin": portal},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        signed: dict[str, str] = json.load(response)
    return signed


def test_a_mailed_link_leads_back_to_the_demo_on_its_own_port(demo: Demo) -> None:
    assert urllib.parse.urlsplit(demo.portal).port != 8000
    person = demo_people()[0]  # the wallet's inserted card
    browser = Browser(demo.portal)

    browser.open("/account/register")
    browser.open("/account/register", {"agree": "yes"})
    _, challenge = browser.open("/cards/challenge", {})
    issued = json.loads(challenge)
    assert issued["origin"] == demo.portal
    signed = sign_with_agent(demo.agent, demo.portal, issued["challenge"])
    _, proof = browser.open(
        "/cards/verify",
        {"challenge": issued["challenge"], "origin": demo.portal, **signed},
        as_json=True,
    )
    assert json.loads(proof)["ok"] is True
    browser.open("/account/register/card", {})
    household = {
        "household_no": person.household_no,
        "county": person.county,
        "township": person.township,
        "village": person.village,
        "neighbourhood": str(person.neighbourhood),
    }
    url, _ = browser.open("/account/register/household", household)
    assert url.endswith("/account/register/details")
    _, done = browser.open(
        "/account/register/details", {**GOOD_DETAILS, "email": "demo@example.tw"}
    )
    assert 'id="submitted"' in done, done

    _, mailbox = browser.open("/mail/demo/")
    message = re.search(r'href="(/mail/demo/\d+/)"', mailbox)
    assert message is not None, mailbox
    _, mail = browser.open(message.group(1))
    listed = re.search(r'<ul id="links">(.*?)</ul>', mail, re.DOTALL)  # the mail's links
    assert listed is not None, mail
    links = re.findall(r'<a href="([^"]+)">', listed.group(1))
    assert links and all(link.startswith(f"{demo.portal}/") for link in links), links
    assert "localhost:8000" not in mail
    confirm = [link for link in links if "/account/confirm#" in link]
    assert len(confirm) == 1, links

    url, page = browser.open(confirm[0])
    assert url.startswith(f"{demo.portal}/account/confirm")
    assert "<h1>電子信箱認證</h1>" in page


def started_by(var_dir: Path) -> dict[int, str]:
    """Command lines of the live processes whose environment names ``var_dir``: each one the
    demo started, whatever its process group or session (bin/demo-env exports the variable)."""
    marker = f"CARDREG_VAR_DIR={var_dir}".encode()
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # gone meanwhile, or another user's
            continue
        if marker in environ and state != "Z":
            found[int(proc.name)] = command
    return found


def test_sigterm_stops_every_process_the_demo_started(tmp_path: Path) -> None:
    require_tool("bash", "the demo is a bash script")
    port, agent_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN)} | {
        "PORT": str(port),
        "AGENT_PORT": str(agent_port),
        "CARDREG_VAR_DIR": str(tmp_path),
    }
    log = tmp_path / "demo.log"
    with log.open("wb") as output:
        demo = subprocess.Popen(
            ["bin/demo"], cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )
    try:
        wait_until_up(f"http://127.0.0.1:{agent_port}/v1/status", demo, log)
        wait_until_up(f"http://localhost:{port}/", demo, log)
        deadline = time.monotonic() + 10
        while not any("db_worker" in c for c in started_by(tmp_path).values()):
            assert time.monotonic() < deadline, started_by(tmp_path)
            time.sleep(0.1)
        commands = " | ".join(started_by(tmp_path).values())
        assert "gunicorn" in commands
        assert "cardagent" in commands
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=10)
        deadline = time.monotonic() + 5
        while (left := started_by(tmp_path)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert left == {}
    finally:
        for pid in started_by(tmp_path):  # only what this test's demo left behind
            os.kill(pid, signal.SIGKILL)
        if demo.poll() is None:
            demo.kill()
            demo.wait()
