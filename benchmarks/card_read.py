"""Card read + sign + verify latency through the real PC/SC stack and the real portal code.

Prints the median and p95 of:
  1. a basic-data read through PC/SC (private pcscd + vsmartcard-vpcd + our emulated card);
  2. the agent's HTTP round trip in pcsc mode: GET /v1/card + POST /v1/sign;
  3. the server's side: POST /cards/challenge + POST /cards/verify through Django's full
     middleware stack (session, CSRF, database) on SQLite, or on DATABASE_URL if set;
  4. the whole proof as a page does it: challenge → card → sign → verify.
Needs root, pcscd, vsmartcard-vpcd, util-linux and pyscard (bin/setup --dev installs pyscard).

    .venv/bin/python benchmarks/card_read.py [ROUNDS]
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from cardagent.card import read_basic_data
from cardagent.emulator import VpcdEmulator
from cardagent.pcsclab import PrivatePcscd, free_port_pair, start_agent
from cardagent.readers import PcscReader
from cardagent.record import CardData
from cardagent.virtual import VirtualCard, new_virtual_card, public_key_pem

ORIGIN = "http://testserver"  # the origin Django's test client presents


def timed(rounds: int, action: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(label: str, samples: list[float]) -> None:
    p95 = statistics.quantiles(samples, n=20)[-1]
    median = statistics.median(samples)
    print(f"{label:<48} median {median:6.2f} ms   p95 {p95:6.2f} ms   n={len(samples)}")


def wait_for_card(reader: PcscReader) -> None:
    deadline = time.monotonic() + 5
    while not reader.card_present():
        if time.monotonic() > deadline:
            raise TimeoutError("pcscd never saw the card")
        time.sleep(0.02)


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cardreg.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    os.environ["CARDREG_VAR_DIR"] = str(workdir)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django
    from django.core.management import call_command

    warnings.filterwarnings("ignore", "No directory at")  # no collected static files here

    django.setup()
    call_command("migrate", verbosity=0)


def register(card: VirtualCard) -> None:
    from cardreg.cards.models import Card, Person

    data = card.data
    person = Person.objects.create(
        national_id=data.national_id, name=data.name, birth_date=data.birth_date, sex=data.sex
    )
    Card.objects.create(
        card_number=data.card_number,
        person=person,
        issue_date=data.issue_date,
        public_key_pem=public_key_pem(card),
    )


class Round:
    """One page's proof: the server's challenge, the agent's signature, the server's verdict."""

    def __init__(self, agent_port: int) -> None:
        from django.test import Client

        self.client = Client()
        self.agent = http.client.HTTPConnection("127.0.0.1", agent_port, timeout=10)

    def agent_call(self, method: str, path: str, body: dict[str, str] | None = None) -> Any:
        headers = {"Origin": ORIGIN, "Content-Type": "application/json"}
        payload = json.dumps(body) if body is not None else None
        self.agent.request(method, path, body=payload, headers=headers)
        response = self.agent.getresponse()
        answer = json.loads(response.read())
        if response.status != 200:
            raise RuntimeError(f"agent answered {response.status}: {answer}")
        return answer

    def challenge(self) -> str:
        return str(self.client.post("/cards/challenge").json()["challenge"])

    def card_and_sign(self, challenge: str) -> Any:
        self.agent_call("GET", "/v1/card")
        return self.agent_call("POST", "/v1/sign", {"challenge": challenge, "origin": ORIGIN})

    def verify(self, challenge: str, signed: Any) -> None:
        fields = {
            "challenge": challenge,
            "origin": ORIGIN,
            "card_number": signed["card_number"],
            "signature": signed["signature"],
        }
        response = self.client.post("/cards/verify", fields, content_type="application/json")
        if response.status_code != 200:
            raise RuntimeError(f"verify answered {response.status_code}: {response.json()}")

    def whole(self) -> None:
        challenge = self.challenge()
        self.verify(challenge, self.card_and_sign(challenge))


def main(rounds: int) -> None:
    data = CardData(
        "000012345678", "林堃喆", "A123456789", date(1990, 1, 1), "M", date(2016, 7, 13)
    )
    card = new_virtual_card(data)
    port = free_port_pair()
    with tempfile.TemporaryDirectory() as workdir, PrivatePcscd(Path(workdir), port) as pcscd:
        setup_django(Path(workdir))
        register(card)
        # libpcsclite reads the socket path once, at first use: set it before any PC/SC call.
        os.environ["PCSCLITE_CSOCK_NAME"] = str(pcscd.socket_path)
        emulator = VpcdEmulator(card, "127.0.0.1", port)
        emulator.start()
        reader = PcscReader()
        wait_for_card(reader)

        def read_once() -> None:
            with reader.session() as transmit:
                read_basic_data(transmit)

        agent = start_agent(pcscd, "--allow-origin", ORIGIN)
        page = Round(agent.port)
        try:
            report("1. PC/SC basic-data read", timed(rounds, read_once))
            challenges = [page.challenge() for _ in range(rounds)]
            signed: list[Any] = []
            report(
                "2. agent HTTP: GET /v1/card + POST /v1/sign",
                timed(rounds, lambda: signed.append(page.card_and_sign(challenges[len(signed)]))),
            )
            pairs = iter(zip(challenges, signed, strict=True))
            report(
                "3. server: POST /cards/verify", timed(rounds, lambda: page.verify(*next(pairs)))
            )
            report("   server: POST /cards/challenge", timed(rounds, page.challenge))
            report("4. whole: challenge + read + sign + verify", timed(rounds, page.whole))
        finally:
            page.agent.close()
            agent.stop()
            emulator.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
