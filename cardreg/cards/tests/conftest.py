from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable

import pytest
from cardagent.proof import proof_message, sign_message
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cardreg.cards.models import Card, CardStatus, Person
from cardreg.lib.national_id import make_national_id


class SignedCard:
    """A card in the registry together with the private key only the card itself holds."""

    def __init__(self, card: Card, key: ec.EllipticCurvePrivateKey) -> None:
        self.card = card
        self.key = key

    @property
    def number(self) -> str:
        return self.card.card_number

    def sign(self, origin: str, challenge: str) -> str:
        return base64.b64encode(sign_message(self.key, proof_message(origin, challenge))).decode()


def public_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture
def make_card(db: None) -> Callable[..., SignedCard]:
    counter = iter(range(1, 10_000))

    def make(status: str = CardStatus.ACTIVE, with_key: bool = True) -> SignedCard:
        n = next(counter)
        person = Person.objects.create(
            national_id=make_national_id("A", "1", f"{n:07d}"),
            name="王小明",
            birth_date=dt.date(1990, 1, 1),
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

    return make
