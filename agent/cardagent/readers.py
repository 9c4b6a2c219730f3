"""Card readers: a PC/SC reader (pyscard) and a virtual reader (a wallet file), one interface.

``with reader.session() as transmit:`` connects to the card once, hands out ``transmit`` for
every APDU of one request (low latency: one connect per request), and disconnects.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from cardagent.card import Transmit
from cardagent.codes import CardError, Code
from cardagent.virtual import Wallet, load_wallet, save_wallet

VIRTUAL_READER_NAME = "cardagent Virtual Reader 00"


class Reader(Protocol):
    mode: str  # "virtual" or "pcsc"

    def list_readers(self) -> list[str]: ...

    def card_present(self) -> bool: ...

    def session(self) -> AbstractContextManager[Transmit]: ...


class VirtualReader:
    """A reader whose slot holds the wallet file's ``inserted`` card, changeable at run time."""

    mode = "virtual"

    def __init__(self, wallet_path: str | Path) -> None:
        self.wallet_path = Path(wallet_path)
        # One card, one dialogue at a time, as in a real reader; also serialises slot changes.
        self._lock = threading.Lock()

    def wallet(self) -> Wallet:
        # Read on every use: the portal's demo command may rewrite the wallet while we run.
        return load_wallet(self.wallet_path)

    def list_readers(self) -> list[str]:
        return [VIRTUAL_READER_NAME]

    def card_present(self) -> bool:
        return self.wallet().inserted_card() is not None

    @contextmanager
    def session(self) -> Iterator[Transmit]:
        with self._lock:
            card = self.wallet().inserted_card()
            if card is None:
                raise CardError(Code.NO_CARD, "the virtual slot is empty")
            card.reset()
            yield card.process_apdu

    def insert(self, card_number: str | None) -> Wallet:
        """Insert a wallet card (``None``: take it out), saved as the wallet's ``inserted``."""
        with self._lock:
            wallet = self.wallet()
            if card_number is not None and wallet.find(card_number) is None:
                raise CardError(Code.CARD_NOT_IN_WALLET, "no such card in the wallet")
            wallet.inserted = card_number
            save_wallet(self.wallet_path, wallet)
            return wallet


# PC/SC return codes (winscard.h) that decide which code the user sees.
SCARD_S_SUCCESS = 0x00000000
SCARD_E_UNKNOWN_READER = 0x80100009
SCARD_E_SHARING_VIOLATION = 0x8010000B
SCARD_E_NO_SMARTCARD = 0x8010000C
SCARD_E_NO_SERVICE = 0x8010001D
SCARD_E_SERVICE_STOPPED = 0x8010001E
SCARD_E_NO_READERS_AVAILABLE = 0x8010002E
SCARD_W_UNRESPONSIVE_CARD = 0x80100066
SCARD_W_UNPOWERED_CARD = 0x80100067
SCARD_W_REMOVED_CARD = 0x80100069

_SERVICE_GONE = {SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED}
_NO_CARD = {SCARD_E_NO_SMARTCARD, SCARD_W_REMOVED_CARD}
_CARD_MUTE = {SCARD_W_UNRESPONSIVE_CARD, SCARD_W_UNPOWERED_CARD}
_PYSCARD_MISSING = "pyscard is not installed: pip install 'cardagent[pcsc]'"


def _load_scard() -> Any:
    # Imported on first use, so the agent runs in virtual mode without pyscard/libpcsclite.
    try:
        from smartcard import scard
    except ImportError:
        raise CardError(Code.PCSC_UNAVAILABLE, _PYSCARD_MISSING) from None
    return scard


def _hex(hresult: int) -> str:
    return f"0x{hresult:08X}"


def list_readers_error(hresult: int) -> CardError:
    if hresult == SCARD_E_NO_READERS_AVAILABLE:
        return CardError(Code.NO_READER, "PC/SC lists no reader")
    if hresult in _SERVICE_GONE:
        return CardError(Code.PCSC_UNAVAILABLE, f"pcscd went away ({_hex(hresult)})")
    return CardError(Code.READER_ERROR, f"SCardListReaders failed ({_hex(hresult)})")


def connect_error(hresult: int) -> CardError:
    detail = f"SCardConnect failed ({_hex(hresult)})"
    if hresult in _NO_CARD:
        return CardError(Code.NO_CARD, detail)
    if hresult in _CARD_MUTE:
        return CardError(Code.CARD_READ_FAILED, detail)
    if hresult == SCARD_E_UNKNOWN_READER:
        return CardError(Code.NO_READER, detail)
    if hresult in _SERVICE_GONE:
        return CardError(Code.PCSC_UNAVAILABLE, detail)
    return CardError(Code.READER_ERROR, detail)


class PcscReader:
    """A PC/SC reader through pyscard: the first reader holding a card, or the one named."""

    mode = "pcsc"

    def __init__(self, reader_name: str | None = None) -> None:
        self.reader_name = reader_name

    def list_readers(self) -> list[str]:
        with self._context() as (scard, context):
            return self._readers(scard, context)

    def card_present(self) -> bool:
        with self._context() as (scard, context):
            return self._reader_with_card(scard, context) is not None

    @contextmanager
    def session(self) -> Iterator[Transmit]:
        with self._context() as (scard, context):
            reader = self._reader_with_card(scard, context)
            if reader is None:
                raise CardError(Code.NO_CARD, "no reader holds a card")
            hresult, card, protocol = scard.SCardConnect(
                context,
                reader,
                scard.SCARD_SHARE_SHARED,
                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
            )
            if _u32(hresult) != SCARD_S_SUCCESS:
                raise connect_error(_u32(hresult))
            try:
                yield from self._transaction(scard, card, protocol)
            finally:
                # LEAVE_CARD: resetting or powering off would break other programs' handles.
                scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)

    def _transaction(self, scard: Any, card: Any, protocol: int) -> Iterator[Transmit]:
        # A transaction keeps other programs from slipping a SELECT between our commands.
        hresult = _u32(scard.SCardBeginTransaction(card))
        if hresult != SCARD_S_SUCCESS:
            raise connect_error(hresult)
        try:
            yield self._transmitter(scard, card, protocol)
        finally:
            scard.SCardEndTransaction(card, scard.SCARD_LEAVE_CARD)

    @staticmethod
    def _transmitter(scard: Any, card: Any, protocol: int) -> Transmit:
        def transmit(command: bytes) -> bytes:
            hresult, response = scard.SCardTransmit(card, protocol, list(command))
            if _u32(hresult) != SCARD_S_SUCCESS:
                # Whatever failed in the middle of a dialogue (card pulled: 0x80100016 or
                # 0x80100069, reader unplugged), the read did not finish.
                raise CardError(
                    Code.CARD_READ_FAILED, f"SCardTransmit failed ({_hex(_u32(hresult))})"
                )
            return bytes(response)

        return transmit

    @contextmanager
    def _context(self) -> Iterator[tuple[Any, Any]]:
        scard = _load_scard()
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if _u32(hresult) != SCARD_S_SUCCESS:
            raise CardError(
                Code.PCSC_UNAVAILABLE, f"SCardEstablishContext failed ({_hex(_u32(hresult))})"
            )
        try:
            yield scard, context
        finally:
            scard.SCardReleaseContext(context)

    def _readers(self, scard: Any, context: Any) -> list[str]:
        hresult, readers = scard.SCardListReaders(context, [])
        if _u32(hresult) != SCARD_S_SUCCESS:
            raise list_readers_error(_u32(hresult))
        if not readers:
            raise CardError(Code.NO_READER, "PC/SC lists no reader")
        if self.reader_name is not None:
            if self.reader_name not in readers:
                raise CardError(
                    Code.NO_READER, "the reader named with --reader-name is not connected"
                )
            return [self.reader_name]
        return list(readers)

    def _reader_with_card(self, scard: Any, context: Any) -> str | None:
        readers = self._readers(scard, context)
        # Presence comes from the status pcscd tracks (cheap, no card I/O), not from a connect.
        hresult, states = scard.SCardGetStatusChange(
            context, 0, [(reader, scard.SCARD_STATE_UNAWARE) for reader in readers]
        )
        if _u32(hresult) != SCARD_S_SUCCESS:
            raise list_readers_error(_u32(hresult))
        return next(
            (name for name, state, _atr in states if state & scard.SCARD_STATE_PRESENT), None
        )


def _u32(hresult: int) -> int:
    # pyscard hands back a signed C long on some platforms; winscard codes are unsigned 32-bit.
    return hresult & 0xFFFFFFFF
