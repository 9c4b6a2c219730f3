"""Virtual NHI cards (for the demo and the tests) and the wallet file that holds them.

A :class:`VirtualCard` answers APDUs exactly as a card of our profile would, so the agent reads it
through the same code path as a real card (directly, or behind PC/SC via :mod:`cardagent.emulator`).

Wallet file (PINNED; the portal's demo command writes it with :func:`save_wallet`)::

    {"version": 1, "inserted": "000012345678" | null,
     "cards": [{"card_number": "000012345678", "name": "王小明", "national_id": "A123456789",
                "birth_date": "0790101", "sex": "M", "issue_date": "1050713",
                "private_key_pem": "-----BEGIN PRIVATE KEY-----\\n..." | null}]}

Keys are unencrypted PKCS#8 PEM: this is demo data, never a real person's card. A card whose
``private_key_pem`` is null behaves like a real NHI card: it reads, but cannot sign (8302).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cardagent import apdu
from cardagent.codes import CardError, Code
from cardagent.proof import sign_message
from cardagent.record import CardData, build_basic_data, format_roc_date, parse_roc_date

# An ATR of real Taiwan NHI cards (pcsc-tools' smartcard_list), so PC/SC tools name it correctly.
NHI_ATR = bytes.fromhex(
    "3B FF 18 00 FF 81 31 FE 45 54 48 43 43 31 30 54 45 43 4F 47 44 48 4E 32 24"
)
WALLET_VERSION = 1


def _sw(sw: int, data: bytes = b"") -> bytes:
    return apdu.Response(data, sw).to_bytes()


class VirtualCard:
    """One card: its basic data, its key (or none, like a real NHI card) and its session state."""

    atr = NHI_ATR

    def __init__(self, data: CardData, private_key: ec.EllipticCurvePrivateKey | None) -> None:
        self.data = data
        self.private_key = private_key
        self._record = build_basic_data(data)  # refuses data a real card could not hold
        self._selected = False

    @property
    def card_number(self) -> str:
        return self.data.card_number

    def reset(self) -> None:
        """Power-on / reset: like a real card, forget the selected application."""
        self._selected = False

    def process_apdu(self, command: bytes) -> bytes:
        try:
            parsed = apdu.Command.parse(command)
        except ValueError:
            return _sw(apdu.SW_WRONG_LENGTH)
        if parsed.cla != 0x00:
            return _sw(apdu.SW_CLA_NOT_SUPPORTED)
        if parsed.ins == apdu.INS_SELECT:
            return self._select(parsed)
        if parsed.ins == apdu.INS_READ_BASIC_DATA:
            return self._read_basic_data(parsed)
        if parsed.ins == apdu.INS_INTERNAL_AUTHENTICATE and self.private_key is not None:
            return self._internal_authenticate(parsed, self.private_key)
        return _sw(apdu.SW_INS_NOT_SUPPORTED)

    def _select(self, command: apdu.Command) -> bytes:
        if (command.p1, command.p2) != (0x04, 0x00):
            return _sw(apdu.SW_INCORRECT_P1P2)
        self._selected = command.data == apdu.NHI_AID
        return _sw(apdu.SW_OK if self._selected else apdu.SW_FILE_NOT_FOUND)

    def _read_basic_data(self, command: apdu.Command) -> bytes:
        if not self._selected:
            return _sw(apdu.SW_CONDITIONS_NOT_SATISFIED)
        if (command.p1, command.p2) != (0x11, 0x00):
            return _sw(apdu.SW_INCORRECT_P1P2)
        if command.data != b"\x00\x00":
            return _sw(apdu.SW_WRONG_DATA)
        return _sw(apdu.SW_OK, self._record)

    def _internal_authenticate(
        self, command: apdu.Command, key: ec.EllipticCurvePrivateKey
    ) -> bytes:
        if not self._selected:
            return _sw(apdu.SW_CONDITIONS_NOT_SATISFIED)
        if (command.p1, command.p2) != (0x00, 0x00):
            return _sw(apdu.SW_INCORRECT_P1P2)
        if len(command.data) != apdu.PROOF_MESSAGE_LENGTH:
            return _sw(apdu.SW_WRONG_LENGTH)
        return _sw(apdu.SW_OK, sign_message(key, command.data))


def new_virtual_card(card_data: CardData) -> VirtualCard:
    """A card of our profile with a fresh P-256 key (register its :func:`public_key_pem`)."""
    return VirtualCard(card_data, ec.generate_private_key(ec.SECP256R1()))


def public_key_pem(card: VirtualCard) -> str:
    if card.private_key is None:
        raise ValueError("this card has no key: it cannot prove itself")
    public = card.private_key.public_key()
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


@dataclass
class Wallet:
    cards: list[VirtualCard] = field(default_factory=list)
    inserted: str | None = None

    def find(self, card_number: str) -> VirtualCard | None:
        return next((c for c in self.cards if c.card_number == card_number), None)

    def inserted_card(self) -> VirtualCard | None:
        return None if self.inserted is None else self.find(self.inserted)


def load_wallet(path: str | os.PathLike[str]) -> Wallet:
    """Read a wallet file; anything wrong is :data:`Code.WALLET_UNREADABLE` with the reason."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        return _wallet_from_json(document)
    except OSError as error:
        raise CardError(Code.WALLET_UNREADABLE, f"cannot open wallet: {error.strerror}") from None
    except (ValueError, KeyError, TypeError, UnsupportedAlgorithm) as error:
        raise CardError(Code.WALLET_UNREADABLE, f"wallet is invalid: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    # JSON and key errors carry file content in their text; name only the kind of problem.
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON (line {error.lineno})"
    if isinstance(error, KeyError):
        return f"missing field {error.args[0]!r}"
    return str(error) if isinstance(error, ValueError) else type(error).__name__


def save_wallet(path: str | os.PathLike[str], wallet: Wallet) -> None:
    """Write atomically (temp file + ``os.replace``): a reader never sees half a wallet."""
    target = Path(path)
    text = json.dumps(_wallet_to_json(wallet), ensure_ascii=False, indent=2) + "\n"
    # mkstemp makes the file 0600: it holds private keys, even if only demo ones.
    fd, temp_name = tempfile.mkstemp(prefix=".wallet-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def _wallet_from_json(document: Any) -> Wallet:
    if not isinstance(document, dict) or document.get("version") != WALLET_VERSION:
        raise ValueError(f"not a version {WALLET_VERSION} wallet")
    cards = [_card_from_json(entry) for entry in document["cards"]]
    numbers = [card.card_number for card in cards]
    if len(set(numbers)) != len(numbers):
        raise ValueError("a card number appears twice")
    inserted = document.get("inserted")
    if inserted is not None and inserted not in numbers:
        raise ValueError("the inserted card is not in the wallet")
    return Wallet(cards, inserted)


def _card_from_json(entry: dict[str, Any]) -> VirtualCard:
    data = CardData(
        card_number=_text(entry, "card_number"),
        name=_text(entry, "name"),
        national_id=_text(entry, "national_id"),
        birth_date=parse_roc_date(_text(entry, "birth_date")),
        sex=_text(entry, "sex"),
        issue_date=parse_roc_date(_text(entry, "issue_date")),
    )
    pem = entry.get("private_key_pem")
    if pem is not None and not isinstance(pem, str):
        raise ValueError("field 'private_key_pem' must be a string or null")
    return VirtualCard(data, None if pem is None else _load_key(pem))


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry[key]
    if not isinstance(value, str):
        raise ValueError(f"field {key!r} must be a string")
    return value


def _load_key(pem: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("private_key_pem must be an EC P-256 key")
    return key


def _wallet_to_json(wallet: Wallet) -> dict[str, Any]:
    return {
        "version": WALLET_VERSION,
        "inserted": wallet.inserted,
        "cards": [_card_to_json(card) for card in wallet.cards],
    }


def _card_to_json(card: VirtualCard) -> dict[str, Any]:
    data = card.data
    return {
        "card_number": data.card_number,
        "name": data.name,
        "national_id": data.national_id,
        "birth_date": format_roc_date(data.birth_date),
        "sex": data.sex,
        "issue_date": format_roc_date(data.issue_date),
        "private_key_pem": None if card.private_key is None else _private_pem(card.private_key),
    }


def _private_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def demo_wallet() -> Wallet:
    """A small wallet of made-up people for trying the agent without the portal."""
    people = [
        CardData("000012345678", "王小明", "A123456789", date(1990, 1, 1), "M", date(2016, 7, 13)),
        CardData("000087654321", "林堃喆", "B123456780", date(2011, 1, 1), "M", date(2020, 3, 5)),
        CardData(
            "000011112222", "歐陽娜娜", "F222333444", date(1985, 6, 30), "F", date(2018, 9, 1)
        ),
    ]
    cards = [new_virtual_card(person) for person in people]
    # A card without a key stands for a real NHI card: readable, but it cannot sign (8302).
    real_like = CardData(
        "000033334444", "范姜峯", "E120001115", date(1960, 2, 29), "M", date(2015, 1, 2)
    )
    cards.append(VirtualCard(real_like, None))
    return Wallet(cards, inserted=cards[0].card_number)
