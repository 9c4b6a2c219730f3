"""The ``cardagent`` command line."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from cardagent.cli import main
from cardagent.readers import VirtualReader
from cardagent.virtual import load_wallet


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == "cardagent 0.1.0"


def test_demo_wallet_is_written_once(tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    assert main(["demo-wallet", str(path)]) == 0
    wallet = load_wallet(path)
    assert len(wallet.cards) == 4
    assert wallet.inserted == wallet.cards[0].card_number
    assert any(card.private_key is None for card in wallet.cards)  # one real-NHI-like card
    with pytest.raises(SystemExit):
        main(["demo-wallet", str(path)])
    assert main(["demo-wallet", str(path), "--force"]) == 0


def test_read_prints_the_card_as_json(
    wallet_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["read", "--wallet", str(wallet_path)]) == 0
    assert json.loads(capsys.readouterr().out)["birth_date"] == "1990-01-01"


def test_read_without_card_prints_the_code(
    wallet_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    VirtualReader(wallet_path).insert(None)
    assert main(["read", "--wallet", str(wallet_path)]) == 1
    assert json.loads(capsys.readouterr().out)["code"] == "8013"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.0.5", "example.com"])  # noqa: S104
def test_serve_refuses_a_host_that_is_not_loopback(
    host: str, wallet_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--host", host, "--wallet", str(wallet_path)])
    assert exited.value.code == 2
    assert "127.0.0.1" in capsys.readouterr().err


def test_serve_refuses_a_wildcard_origin(wallet_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--port", "0", "--wallet", str(wallet_path), "--allow-origin", "*"])


def test_serve_on_a_port_in_use_says_so_in_words(
    wallet_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert main(["serve", "--port", port, "--wallet", str(wallet_path)]) == 3
    err = capsys.readouterr().err
    assert f"連接埠 {port}" in err and "another card agent is probably running" in err
    assert "Traceback" not in err


def test_virtual_reader_needs_a_wallet() -> None:
    with pytest.raises(SystemExit):
        main(["read", "--reader", "virtual"])


def test_emulate_refuses_a_card_not_in_the_wallet(wallet_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["emulate", "--wallet", str(wallet_path), "--card", "999999999999"])
