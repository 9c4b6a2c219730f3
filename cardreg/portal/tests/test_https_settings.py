"""HTTPS in production: HSTS and the redirect to https are on unless debug or demo, and
`manage.py check --deploy` has nothing to say about a production environment.

The settings are read in fresh processes with a clean environment, as a server starts."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.test import Client

ROOT = Path(__file__).resolve().parents[3]
# Settings of the developer's shell or of the test run must not leak into the server's.
FOREIGN = ("CARDREG_", "DJANGO_", "DATABASE_URL", "PYTEST_")
HTTPS_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
)


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN)}
    return {
        **clean,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "portal.example",
        "CARDREG_VAR_DIR": str(var_dir),
        **extra,
    }


def https_settings(var_dir: Path, **extra: str) -> dict[str, Any]:
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {HTTPS_SETTINGS!r}}}))"
    )
    env = {**production_env(var_dir, **extra), "DJANGO_SETTINGS_MODULE": "cardreg.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_defaults_to_https_only(tmp_path: Path) -> None:
    assert https_settings(tmp_path) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
    }


def test_demo_and_debug_stay_on_plain_http(tmp_path: Path) -> None:
    for mode in ({"CARDREG_DEMO": "true"}, {"DJANGO_DEBUG": "true"}):
        values = https_settings(tmp_path, **mode)
        assert values["SECURE_SSL_REDIRECT"] is False, mode
        assert values["SECURE_HSTS_SECONDS"] == 0, mode
        assert values["SESSION_COOKIE_SECURE"] is False, mode


def test_each_https_setting_can_be_set(tmp_path: Path) -> None:
    values = https_settings(
        tmp_path,
        CARDREG_SSL_REDIRECT="false",
        CARDREG_HSTS_SECONDS="600",
        CARDREG_HSTS_INCLUDE_SUBDOMAINS="false",
        CARDREG_HSTS_PRELOAD="false",
        CARDREG_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
    }


def test_behind_a_tls_proxy_https_requests_are_served_with_hsts(settings: Any, db: None) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = Client().get("/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/"
    proxied = Client(HTTP_X_FORWARDED_PROTO="https").get("/")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"].startswith("max-age=31536000")
