"""Login and registration-submit throughput and latency against the production server setup.

Starts gunicorn (sync workers, as in production) on a fresh database (SQLite file by default,
DATABASE_URL for PostgreSQL), then with 1, 8 and 32 concurrent clients measures:
  * login: challenge + card proof (the card's signature made by the client) + card + password
    login, which runs the Argon2id check (OWASP parameters: t=2, m=19 MiB, p=1);
  * registration submit: the final 「確認申請」 POST (password policy, Argon2 hash, account,
    token, outbox mail, audit), each client's journey prepared beforehand.

    .venv/bin/python benchmarks/login.py [--workers 4] [--rounds 200]
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Tw!2026strong"  # noqa: S105 - a benchmark account's password


class Browser:
    """A minimal HTTP client with a cookie jar and Django's CSRF header."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.origin = f"http://localhost:{port}"

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, data: Any = None
    ) -> tuple[int, bytes]:
        headers = {
            "Host": self.origin.removeprefix("http://"),
            "Origin": self.origin,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body, headers["Content-Type"] = json.dumps(data), "application/json"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read()

    def prove(self, card: Any) -> None:
        from cardagent.proof import proof_message, sign_message

        status, body = self.request("POST", "/cards/challenge", data={})
        challenge = json.loads(body)["challenge"]
        signature = sign_message(card["key"], proof_message(self.origin, challenge))
        status, body = self.request(
            "POST",
            "/cards/verify",
            data={
                "challenge": challenge,
                "origin": self.origin,
                "card_number": card["number"],
                "signature": base64.b64encode(signature).decode(),
            },
        )
        if status != 200:
            raise RuntimeError(f"proof refused: {body!r}")


def prepare_database(workdir: Path, people: int) -> list[dict[str, Any]]:
    """Migrate and create card holders: the first half registered, the second half not yet."""
    import django
    from cryptography.hazmat.primitives.asymmetric import ec
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from cardreg.accounts.models import Account, AccountStatus
    from cardreg.cards.models import Card, Person
    from cardreg.cards.testing import public_pem
    from cardreg.lib.national_id import make_national_id
    from cardreg.registry.demo import load_demo_divisions
    from cardreg.registry.models import HouseholdMember

    load_demo_divisions()
    cards = []
    hashed = Account(national_id="x")
    hashed.set_password(PASSWORD)
    for n in range(people):
        key = ec.generate_private_key(ec.SECP256R1())
        person = Person.objects.create(
            national_id=make_national_id("B", "2", f"{n:07d}"),
            name="陳喆瑜",
            birth_date="1980-02-03",
            sex="F",
        )
        card = Card.objects.create(
            card_number=f"{500000000000 + n}",
            person=person,
            issue_date="2020-01-01",
            public_key_pem=public_pem(key),
        )
        HouseholdMember.objects.create(
            national_id=person.national_id,
            household_no="F1234567",
            county="臺北市",
            township="中正區",
            village="黎明里",
            neighbourhood=3,
        )
        if n < people // 2:
            Account.objects.create(
                person=person,
                national_id=person.national_id,
                password=hashed.password,
                mobile="0912345678",
                email="bench@example.tw",
                status=AccountStatus.ACTIVE,
            )
        cards.append({"number": card.card_number, "key": key})
    return cards


def login_once(port: int, card: dict[str, Any]) -> Callable[[], None]:
    browser = Browser(port)
    browser.request("GET", "/")

    def run() -> None:
        browser.prove(card)
        status, body = browser.request("POST", "/account/login", form={"password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"login failed: {status} {body[:300]!r}")

    return run


def registration_once(port: int, card: dict[str, Any]) -> Callable[[], None]:
    browser = Browser(port)
    browser.request("GET", "/")
    browser.request("POST", "/account/register", form={"agree": "yes"})
    browser.prove(card)
    browser.request("POST", "/account/register/card", form={})
    status, _ = browser.request(
        "POST",
        "/account/register/household",
        form={
            "household_no": "F1234567",
            "county": "臺北市",
            "township": "中正區",
            "village": "黎明里",
            "neighbourhood": "3",
        },
    )
    if status != 302:
        raise RuntimeError("household step refused")

    def run() -> None:
        status, body = browser.request(
            "POST",
            "/account/register/details",
            form={
                "password": PASSWORD,
                "password_confirm": PASSWORD,
                "mobile": "0912345678",
                "email": "bench@example.tw",
            },
        )
        if "您已完成申請" not in body.decode():
            raise RuntimeError(f"submit failed: {status} {' '.join(body.decode().split())[:400]}")

    return run


def measure(label: str, actions: list[Callable[[], None]], clients: int) -> None:
    """Run the prepared actions with ``clients`` threads; print throughput and latency."""
    samples: list[float] = []
    lock = threading.Lock()
    queue = list(actions)

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                action = queue.pop()
            started = time.perf_counter()
            action()
            with lock:
                samples.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    p95 = statistics.quantiles(samples, n=20)[-1]
    print(
        f"{label:<22} clients={clients:<3} {len(samples) / elapsed:7.1f}/s   "
        f"median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms   n={len(samples)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "CARDREG_VAR_DIR": tmp,
            "DJANGO_SECRET_KEY": "benchmark-only",
            "DJANGO_SETTINGS_MODULE": "cardreg.settings",
            "CARDREG_MAIL_TRANSPORT": "demo",
            "CARDREG_REGISTRATIONS_PER_IP_HOUR": "1000000",
            "CARDREG_LOG_LEVEL": "WARNING",
            "CARDREG_LOGIN_FREE_FAILURES_PER_IP": "1000000",
        }
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        cards = prepare_database(Path(tmp), people=2 * args.rounds * 3)
        registered, unregistered = cards[: len(cards) // 2], cards[len(cards) // 2 :]
        port = 18000 + os.getpid() % 1000
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cardreg.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            for _ in range(100):
                try:
                    Browser(port).request("GET", "/")
                    break
                except OSError:
                    time.sleep(0.1)
            print(
                f"gunicorn sync, {args.workers} workers; Argon2id t=2 m=19MiB p=1; "
                f"database {env.get('DATABASE_URL', 'SQLite (file)').split('@')[-1]}"
            )
            for clients in (1, 8, 32):
                batch = [registered.pop() for _ in range(args.rounds)]
                measure("login", [login_once(port, c) for c in batch], clients)
            for clients in (1, 8, 32):
                batch = [unregistered.pop() for _ in range(args.rounds)]
                measure("registration submit", [registration_once(port, c) for c in batch], clients)
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
