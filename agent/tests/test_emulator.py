"""The vpcd emulator's wire protocol, against a stand-in for vpcd (no pcscd needed)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from cardagent.apdu import READ_BASIC_DATA, SELECT_NHI
from cardagent.emulator import VpcdEmulator
from cardagent.virtual import NHI_ATR, VirtualCard


class FakeVpcd:
    """Plays vpcd's side: listens, then sends framed control bytes and APDUs."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.conn: socket.socket | None = None

    def accept(self) -> None:
        self.listener.settimeout(5)
        self.conn, _ = self.listener.accept()
        self.conn.settimeout(5)

    def send(self, payload: bytes, split: bool = False) -> None:
        assert self.conn is not None
        header = len(payload).to_bytes(2, "big")
        if split:  # vpcd writes length and payload separately
            self.conn.sendall(header)
            self.conn.sendall(payload)
        else:
            self.conn.sendall(header + payload)

    def receive(self) -> bytes | None:
        header = self._exactly(2)
        return None if header is None else self._exactly(int.from_bytes(header, "big"))

    def _exactly(self, size: int) -> bytes | None:
        assert self.conn is not None
        data = b""
        while len(data) < size:
            chunk = self.conn.recv(size - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.listener.close()


@pytest.fixture
def vpcd() -> Iterator[FakeVpcd]:
    fake = FakeVpcd()
    yield fake
    fake.close()


@pytest.fixture
def emulator(vpcd: FakeVpcd, virtual_card: VirtualCard) -> Iterator[VpcdEmulator]:
    emulator = VpcdEmulator(virtual_card, "127.0.0.1", vpcd.port)
    emulator.start()
    vpcd.accept()
    yield emulator
    emulator.stop()


def test_power_on_and_atr(vpcd: FakeVpcd, emulator: VpcdEmulator) -> None:
    vpcd.send(b"\x01")  # power on: no answer
    vpcd.send(b"\x04")
    assert vpcd.receive() == NHI_ATR
    assert emulator.powered.wait(1)


def test_apdus_are_answered_even_when_split(vpcd: FakeVpcd, emulator: VpcdEmulator) -> None:
    vpcd.send(SELECT_NHI, split=True)
    assert vpcd.receive() == b"\x90\x00"
    vpcd.send(READ_BASIC_DATA, split=True)
    answer = vpcd.receive()
    assert answer is not None and len(answer) == 59 and answer.endswith(b"\x90\x00")


def test_reset_deselects(vpcd: FakeVpcd, emulator: VpcdEmulator) -> None:
    vpcd.send(SELECT_NHI)
    assert vpcd.receive() == b"\x90\x00"
    vpcd.send(b"\x02")
    vpcd.send(READ_BASIC_DATA)
    assert vpcd.receive() == b"\x69\x85"


def test_pulling_the_card_closes_the_socket_mid_dialogue(
    vpcd: FakeVpcd, emulator: VpcdEmulator
) -> None:
    emulator.pull_card_after(1)
    vpcd.send(SELECT_NHI)
    assert vpcd.receive() == b"\x90\x00"
    vpcd.send(READ_BASIC_DATA)
    assert vpcd.receive() is None  # closed instead of answered
    assert emulator.removed.wait(1)


def test_stop_removes_the_card(vpcd: FakeVpcd, emulator: VpcdEmulator) -> None:
    emulator.stop()
    assert vpcd.receive() is None
