"""忘記註冊密碼 and 重寄確認信: median time of the submit after a card proof, for a card holder
with the account the function serves and for one without, through Django's test client on a
fresh SQLite database. Equal medians: the time does not tell whether an account exists.

    .venv/bin/python benchmarks/recovery_timing.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    var_dir = tempfile.mkdtemp(prefix="cardreg-bench-")
    os.environ |= {
        "CARDREG_VAR_DIR": var_dir,
        "DJANGO_SECRET_KEY": "benchmark-only",
        "DJANGO_SETTINGS_MODULE": "cardreg.settings",
        "CARDREG_MAIL_TRANSPORT": "demo",
        "CARDREG_SSL_REDIRECT": "false",  # the test client speaks plain http
        "CARDREG_SECURE_COOKIES": "false",
        # Every round is one card holder asking once: the throttles must not refuse the bench.
        "CARDREG_MAIL_REQUESTS_PER_IP_HOUR": str(10 * rounds),
        "CARDREG_REGISTRATIONS_PER_IP_HOUR": str(10 * rounds),
    }
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cardreg.accounts.tests.conftest import active_account, add_household, register
    from cardreg.cards.testing import SignedCard, make_signed_card
    from cardreg.registry.demo import load_demo_divisions

    setup_test_environment()  # the test client's host name is allowed
    call_command("migrate", verbosity=0)
    load_demo_divisions()

    def submit(path: str, card: SignedCard) -> float:
        client = Client()
        client.get(path)
        card.prove(client)
        start = time.perf_counter()
        response = client.post(path)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        return elapsed

    for path, kind in (("/account/forgot", "active"), ("/account/resend", "pending")):
        known, unknown = [], []
        for _ in range(rounds):
            card = make_signed_card()
            if kind == "active":
                active_account(card)
            else:
                add_household(card)
                register(Client(), card)
            known.append(submit(path, card))
            unknown.append(submit(path, make_signed_card()))
        print(
            f"{path}: {kind} account {statistics.median(known) * 1000:.2f} ms, "
            f"no account {statistics.median(unknown) * 1000:.2f} ms (median of {rounds})"
        )


if __name__ == "__main__":
    main()
