"""The http household register knows who asks: a bearer token or a TLS client certificate, and
a production portal with neither does not start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cardreg.registry.checks import check_household_register
from cardreg.registry.household import check_household, household_register
from cardreg.registry.tests.conftest import REGISTER_TOKEN, FakeRegister, Reply
from cardreg.registry.tests.test_http_household_register import QUERY

ROOT = Path(__file__).resolve().parents[3]


def test_every_attempt_carries_the_bearer_token(fake_register: FakeRegister, settings: Any) -> None:
    settings.CARDREG_HOUSEHOLD_RETRIES = 1
    fake_register.replies = [Reply(status=503, body=b""), Reply(body=b'{"match": true}')]
    assert check_household(**QUERY).match
    assert fake_register.authorizations == [f"Bearer {REGISTER_TOKEN}"] * 2


def test_the_token_is_not_in_the_adapters_repr(settings: Any) -> None:
    settings.CARDREG_HOUSEHOLD_REGISTER = "http"
    settings.CARDREG_HOUSEHOLD_URL = "https://register.example/check"
    settings.CARDREG_HOUSEHOLD_TOKEN = REGISTER_TOKEN
    assert REGISTER_TOKEN not in repr(household_register())


@pytest.mark.parametrize(
    ("url", "cert", "key"),
    [
        ("http://register.example/check", "cert.pem", ""),  # a certificate needs TLS
        ("https://register.example/check", "", "key.pem"),  # a key without its certificate
        ("https://register.example/check", "missing.pem", ""),  # unreadable
    ],
)
def test_an_unusable_client_certificate_stops_the_server(
    settings: Any, tmp_path: Path, url: str, cert: str, key: str
) -> None:
    (tmp_path / "cert.pem").write_text("not a certificate")
    settings.CARDREG_HOUSEHOLD_REGISTER = "http"
    settings.CARDREG_HOUSEHOLD_URL = url
    settings.CARDREG_HOUSEHOLD_CLIENT_CERT = str(tmp_path / cert) if cert else ""
    settings.CARDREG_HOUSEHOLD_CLIENT_KEY = str(tmp_path / key) if key else ""
    assert [e.id for e in check_household_register()] == ["registry.E001"]


def _load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter as a production server would (no DEBUG, no
    demo, nothing of this test run's environment)."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CARDREG_", "DJANGO_", "PYTEST_"))
    }
    clean.update(
        DJANGO_SECRET_KEY="a-production-like-key-for-this-test",
        CARDREG_VAR_DIR=str(tmp_path / "var"),
        CARDREG_HOUSEHOLD_REGISTER="http",
        CARDREG_HOUSEHOLD_URL="https://register.example/check",
        **env,
    )
    script = "import cardreg.settings as s; print(s.CARDREG_HOUSEHOLD_TOKEN == 'from-a-file')"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_refuse_the_http_register_without_authentication(
    tmp_path: Path,
) -> None:
    result = _load_settings(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "CARDREG_HOUSEHOLD_TOKEN" in result.stderr


def test_production_settings_load_with_a_token_file(tmp_path: Path) -> None:
    token_file = tmp_path / "household-token"
    token_file.write_text("from-a-file\n")
    result = _load_settings(tmp_path, CARDREG_HOUSEHOLD_TOKEN_FILE=str(token_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_production_settings_load_with_a_client_certificate(tmp_path: Path) -> None:
    result = _load_settings(tmp_path, CARDREG_HOUSEHOLD_CLIENT_CERT="/etc/cardreg/client.pem")
    assert result.returncode == 0, result.stderr
