"""Probing /cards/verify for card numbers: what a prober with random signatures learns, how fast.

In-process (Django's test client, a fresh SQLite database in a temporary directory), it prints
  * probes answered per second from one address: all attempts, and those whose answer still
    says something (not 429), with the throttle off (as before) and with the default limits;
  * the verify request's time for a known and for an unknown card number with a random
    signature (interleaved, medians and the difference), and the codes each one got.

    .venv/bin/python benchmarks/card_probe.py [--seconds 5] [--rounds 300]
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
UNKNOWN = "000087654321"


def prepare(workdir: Path) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cardreg.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'probe.sqlite3'}"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from cardreg.cards.testing import make_signed_card

    return make_signed_card().number


def probe(client: Any, card_number: str) -> tuple[int, str, float]:
    """Challenge, then a random signature for ``card_number``: (status, code, verify seconds)."""
    answer = client.post("/cards/challenge")
    if answer.status_code != 200:
        return answer.status_code, answer.json()["code"], 0.0
    fields = {
        "challenge": answer.json()["challenge"],
        "origin": "http://testserver",
        "card_number": card_number,
        "signature": base64.b64encode(secrets.token_bytes(64)).decode(),
    }
    start = time.perf_counter()
    response = client.post("/cards/verify", fields, content_type="application/json")
    return response.status_code, response.json()["code"], time.perf_counter() - start


def rate(seconds: float, known: str, new_client: Callable[[], Any]) -> tuple[float, float]:
    """Probes per second (all, and those not refused with 429) from fresh sessions."""
    done = told = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        status, _code, _t = probe(new_client(), UNKNOWN if done % 2 else known)
        done += 1
        told += status != 429
    return done / seconds, told / seconds


def timing(rounds: int, known_number: str, new_client: Callable[[], Any]) -> None:
    times: dict[str, list[float]] = {known_number: [], UNKNOWN: []}
    codes: dict[str, set[str]] = {known_number: set(), UNKNOWN: set()}
    for _ in range(rounds):
        for number in (known_number, UNKNOWN):
            _status, code, took = probe(new_client(), number)
            times[number].append(took)
            codes[number].add(code)
    known, unknown = (statistics.median(times[n]) * 1e6 for n in (known_number, UNKNOWN))
    print(f"verify, known card:   median {known:8.0f} µs, codes {sorted(codes[known_number])}")
    print(f"verify, unknown card: median {unknown:8.0f} µs, codes {sorted(codes[UNKNOWN])}")
    print(f"difference (known - unknown): {known - unknown:+.0f} µs over {rounds} rounds each")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        known = prepare(Path(workdir))
        from django.conf import settings
        from django.test import Client
        from django.test.utils import setup_test_environment

        from cardreg.accounts.models import Throttle

        setup_test_environment()  # the test client's host "testserver" is allowed
        defaults = (
            settings.CARDREG_CARD_PROOF_FAILURES_PER_IP,
            settings.CARDREG_CARD_PROOF_FAILURES_PER_SESSION,
        )
        settings.CARDREG_CARD_PROOF_FAILURES_PER_IP = 10**9
        settings.CARDREG_CARD_PROOF_FAILURES_PER_SESSION = 10**9
        timing(args.rounds, known, Client)
        done, told = rate(args.seconds, known, Client)
        print(f"throttle off: {done:6.1f} probes/s, {told:6.1f} answered/s")
        Throttle.objects.all().delete()
        (
            settings.CARDREG_CARD_PROOF_FAILURES_PER_IP,
            settings.CARDREG_CARD_PROOF_FAILURES_PER_SESSION,
        ) = defaults
        done, told = rate(args.seconds, known, Client)
        print(
            f"throttle on ({defaults[0]}/address, {defaults[1]}/session per 10 min): "
            f"{done:6.1f} probes/s, {told:6.2f} answered/s over {args.seconds:.0f} s "
            f"(then none until the window ends: {defaults[0] / 600:.3f}/s in the long run)"
        )


if __name__ == "__main__":
    main()
