"""The wallet file (pinned format) and the virtual reader's slot."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from cardagent.card import read_basic_data
from cardagent.codes import CardError, Code
from cardagent.readers import VirtualReader
from cardagent.testing import make_card_data
from cardagent.virtual import Wallet, load_wallet, public_key_pem, save_wallet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def test_wallet_round_trip_keeps_cards_keys_and_slot(wallet: Wallet, tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    save_wallet(path, wallet)
    loaded = load_wallet(path)
    assert loaded.inserted == wallet.inserted
    assert [c.data for c in loaded.cards] == [c.data for c in wallet.cards]
    assert public_key_pem(loaded.cards[0]) == public_key_pem(wallet.cards[0])
    assert loaded.cards[2].private_key is None


def test_wallet_file_has_the_pinned_shape(wallet_path: Path) -> None:
    document = json.loads(wallet_path.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert document["inserted"] == "000012345678"
    first = document["cards"][0]
    assert first["name"] == "王小明"
    assert first["birth_date"] == "0790101"
    assert first["issue_date"] == "1050713"
    assert first["private_key_pem"].startswith("-----BEGIN PRIVATE KEY-----")
    assert document["cards"][2]["private_key_pem"] is None


def test_wallet_written_by_hand_loads(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    document = {
        "version": 1,
        "inserted": None,
        "cards": [
            {
                "card_number": "000012345678",
                "name": "王小明",
                "national_id": "A123456789",
                "birth_date": "0790101",
                "sex": "M",
                "issue_date": "1050713",
                "private_key_pem": pem,
            }
        ],
    }
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    card = load_wallet(path).cards[0]
    assert card.data == make_card_data()
    assert card.private_key is not None
    assert card.private_key.private_numbers() == key.private_numbers()


def test_save_is_atomic_and_private(wallet: Wallet, tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    save_wallet(path, wallet)
    save_wallet(path, wallet)
    assert sorted(os.listdir(tmp_path)) == ["w.json"]  # no temp file left behind
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # private keys, even demo ones


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"version": 2, "cards": []}',
        '{"version": 1}',
        '{"version": 1, "inserted": "000012345678", "cards": []}',
        '{"version": 1, "cards": [{"card_number": "1"}]}',
        '{"version": 1, "cards": [1]}',
    ],
)
def test_broken_wallet_is_4012(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CardError) as raised:
        load_wallet(path)
    assert raised.value.code == Code.WALLET_UNREADABLE


def test_missing_wallet_is_4012(tmp_path: Path) -> None:
    with pytest.raises(CardError) as raised:
        load_wallet(tmp_path / "none.json")
    assert raised.value.code == Code.WALLET_UNREADABLE


def test_virtual_reader_reads_the_inserted_card(wallet_path: Path) -> None:
    reader = VirtualReader(wallet_path)
    with reader.session() as transmit:
        assert read_basic_data(transmit).name == "王小明"


def test_virtual_reader_switch_and_remove_persist(wallet_path: Path) -> None:
    reader = VirtualReader(wallet_path)
    reader.insert("000087654321")
    assert load_wallet(wallet_path).inserted == "000087654321"
    with reader.session() as transmit:
        assert read_basic_data(transmit).name == "林堃喆"
    reader.insert(None)
    assert not reader.card_present()
    with pytest.raises(CardError) as raised, reader.session():
        pass
    assert raised.value.code == Code.NO_CARD


def test_virtual_reader_refuses_a_card_not_in_the_wallet(wallet_path: Path) -> None:
    with pytest.raises(CardError) as raised:
        VirtualReader(wallet_path).insert("999999999999")
    assert raised.value.code == Code.CARD_NOT_IN_WALLET
    assert load_wallet(wallet_path).inserted == "000012345678"
