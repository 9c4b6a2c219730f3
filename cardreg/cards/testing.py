"""Test helpers: registry cards whose private key the test holds, and proving them over HTTP."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cardagent.proof import proof_message, sign_message
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client

from cardreg.cards.models import Card, CardStatus, Person
from cardreg.lib.national_id import make_national_id

ORIGIN = "http://testserver"
_numbers = itertools.count(1)


class SignedCard:
    """A card in the registry together with the private key only the card itself holds."""

    def __init__(self, card: Card, key: ec.EllipticCurvePrivateKey) -> None:
        self.card = card
        self.key = key

    @property
    def number(self) -> str:
        return self.card.card_number

    @property
    def person(self) -> Person:
        return self.card.person

    def sign(self, origin: str, challenge: str) -> str:
        return base64.b64encode(sign_message(self.key, proof_message(origin, challenge))).decode()

    def prove(self, client: Client, origin: str = ORIGIN) -> Any:
        """What the page does: get a challenge, have the card sign it, hand it in."""
        challenge = client.post("/cards/challenge").json()["challenge"]
        return client.post(
            "/cards/verify",
            {
                "challenge": challenge,
                "origin": origin,
                "card_number": self.number,
                "signature": self.sign(origin, challenge),
            },
            content_type="application/json",
        )


def public_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def make_signed_card(
    status: str = CardStatus.ACTIVE,
    *,
    with_key: bool = True,
    name: str = "王小明",
    birth_date: dt.date = dt.date(1990, 1, 1),
    person: Person | None = None,
) -> SignedCard:
    n = next(_numbers)
    if person is None:
        person = Person.objects.create(
            national_id=make_national_id("A", "1", f"{n:07d}"),
            name=name,
            birth_date=birth_date,
            sex="M",
        )
    key = ec.generate_private_key(ec.SECP256R1())
    card = Card.objects.create(
        card_number=f"{n:012d}",
        person=person,
        issue_date=dt.date(2016, 7, 13),
        status=status,
        public_key_pem=public_pem(key) if with_key else "",
    )
    return SignedCard(card, key)


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
            if response.status != 200:
                raise RuntimeError(f"the card slot answered {response.status}")


def start_agent(
    wallet: Path | None, allow_origin: str, *, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], RunningAgent]:
    """`cardagent serve` with the virtual reader on ``wallet``, or the PC/SC reader if None."""
    port = free_port()
    reader = ["--reader", "virtual", "--wallet", str(wallet)] if wallet else ["--reader", "pcsc"]
    command = [sys.executable, "-m", "cardagent", "serve", *reader, "--port", str(port)]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [*command, "--allow-origin", allow_origin],
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/v1/status", timeout=1):  # noqa: S310
                return process, RunningAgent(url=url, wallet=wallet or Path())
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the card agent did not start")
