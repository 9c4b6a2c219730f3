"""Fixtures shared by every app's tests: real tools, failing loudly in CI when one is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from cardreg.axe_audit import AXE_SCRIPT, AxeAudit

CHROMIUM = "/usr/lib/chromium/chromium"

# Playwright's sync API runs an event loop in the test thread, and the session-wide test database
# may be created while it runs: Django would refuse ORM calls from that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def require_tool(path_or_name: str, why: str) -> str:
    """Return the tool's path; skip locally when it is missing, but fail in CI."""
    found = path_or_name if Path(path_or_name).is_file() else shutil.which(path_or_name)
    if found:
        return found
    message = f"{path_or_name} is missing ({why})"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Playwright's own browser download cannot run here: use Debian's Chromium.
    executable = require_tool(CHROMIUM, "apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Most of our users' browsers ask for Traditional Chinese (Taiwan).
    return {**browser_context_args, "locale": "zh-TW"}


@pytest.fixture
def context(context: BrowserContext) -> Iterator[BrowserContext]:
    """Every browser journey's context, audited by axe-core: any violation on any page it visited
    fails the test (rule, page, element). Without axe-core (``npm ci``) only CI fails."""
    if not AXE_SCRIPT.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("node_modules/axe-core is missing (npm ci)")
        warnings.warn("node_modules/axe-core is missing (npm ci): pages not audited", stacklevel=1)
        yield context
        return
    audit = AxeAudit()
    audit.attach(context)
    yield context
    if found := audit.finish(context):
        pytest.fail("axe-core found accessibility violations:\n" + "\n".join(found))


def pytest_configure() -> None:
    from django.conf import settings

    # The test client and the live server speak plain http, as the demo does; production's
    # redirect to https is checked by cardreg/portal/tests/test_https_settings.py.
    settings.SECURE_SSL_REDIRECT = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``-m security`` runs the security catalogue's cases where they live, not only its list."""
    # Imported here: the catalogue imports models, which need Django set up first.
    from cardreg.portal.tests.test_security_cases import CASES

    pointed = {case.test for case in CASES}
    for item in items:
        if item.nodeid.split("[")[0] in pointed:
            item.add_marker(pytest.mark.security)


def pytest_report_header() -> str:
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture
def make_card(db: None) -> Any:
    """``make_card(status=..., with_key=...)`` → a registered card the test can sign with."""
    from cardreg.cards.testing import make_signed_card

    return make_signed_card


@pytest.fixture
def agent_factory() -> Iterator[Any]:
    """Starts real `cardagent serve` processes with a virtual reader; stops them afterwards."""
    from cardreg.cards.testing import start_agent

    processes: list[subprocess.Popen[bytes]] = []

    def start(wallet: Path | None, allow_origin: str, env: dict[str, str] | None = None) -> Any:
        process, agent = start_agent(wallet, allow_origin, env=env)
        processes.append(process)
        return agent

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=5)
