"""A virtual card behind the real PC/SC stack: a client of vsmartcard's vpcd reader driver.

pcscd loads vpcd, which listens on TCP (default 35963, reader "Virtual PCD 00 00"); connecting
inserts the card, closing the socket removes it. Both ways a frame is a 2-byte big-endian length
and the payload. One-byte payloads from vpcd are control (00 power off, 01 power on, 02 reset,
04 get ATR; only the ATR is answered); longer payloads are APDUs, answered by the card.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

from cardagent.virtual import VirtualCard

DEFAULT_VPCD_HOST = "127.0.0.1"
DEFAULT_VPCD_PORT = 35963

CONTROL_POWER_OFF = 0x00
CONTROL_POWER_ON = 0x01
CONTROL_RESET = 0x02
CONTROL_GET_ATR = 0x04


class VpcdEmulator:
    """Insert ``card`` into vpcd: in-process with ``start``/``stop``, or blocking with ``run``."""

    def __init__(
        self, card: VirtualCard, host: str = DEFAULT_VPCD_HOST, port: int = DEFAULT_VPCD_PORT
    ) -> None:
        self.card = card
        self.host = host
        self.port = port
        self.powered = threading.Event()  # pcscd has powered the card and read its ATR
        self.removed = threading.Event()  # the socket is closed: the card is out
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._pull_after: int | None = None
        self._seen_power_on = False

    def connect(self, timeout: float = 5.0) -> None:
        """Connect to vpcd, retrying until it listens (pcscd may still be loading the driver)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock

    def start(self, timeout: float = 5.0) -> None:
        """Insert the card and answer vpcd from a background thread."""
        self.connect(timeout)
        self._thread = threading.Thread(target=self.run, name="vpcd-emulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Remove the card (close the socket) and wait for the thread."""
        self._close()
        if self._thread is not None:
            self._thread.join(timeout=5.0)

    def pull_card_after(self, apdus: int = 0) -> None:
        """Answer ``apdus`` more APDUs, then pull the card while the next one is being answered."""
        self._pull_after = apdus

    def run(self) -> None:
        """Answer vpcd until the socket closes."""
        try:
            while (payload := self._receive_frame()) is not None:
                if len(payload) == 1:
                    self._control(payload[0])
                elif self._pulling_now():
                    break
                else:
                    self._send_frame(self.card.process_apdu(payload))
        except OSError:
            pass  # vpcd went away (pcscd stopped) or stop() closed the socket under us
        finally:
            self._close()

    def _pulling_now(self) -> bool:
        if self._pull_after is None:
            return False
        if self._pull_after > 0:
            self._pull_after -= 1
            return False
        return True

    def _control(self, command: int) -> None:
        if command in (CONTROL_POWER_OFF, CONTROL_POWER_ON, CONTROL_RESET):
            self.card.reset()
            self._seen_power_on = command != CONTROL_POWER_OFF
        elif command == CONTROL_GET_ATR:
            # pcscd asks for the ATR about every 400 ms to see if the card is still in: answer.
            self._send_frame(self.card.atr)
            if self._seen_power_on:
                self.powered.set()

    def _receive_frame(self) -> bytes | None:
        header = self._receive_exactly(2)
        if header is None:
            return None
        return self._receive_exactly(int.from_bytes(header, "big"))

    def _receive_exactly(self, size: int) -> bytes | None:
        sock = self._socket()
        buffer = b""
        while len(buffer) < size:
            # vpcd sends length and payload in two writes; without QUICKACK the delayed ACK
            # costs ~40 ms per APDU. Linux clears the flag after use, so set it every time.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(size - len(buffer))
            if not chunk:
                return None
            buffer += chunk
        return buffer

    def _send_frame(self, payload: bytes) -> None:
        self._socket().sendall(len(payload).to_bytes(2, "big") + payload)

    def _socket(self) -> socket.socket:
        if self._sock is None:
            raise OSError("not connected to vpcd")
        return self._sock

    def _close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):  # vpcd may have disconnected already
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.removed.set()
