"""PC/SC return codes → the code the user sees (no pcscd needed)."""

from __future__ import annotations

import sys

import pytest
from cardagent.codes import CardError, Code
from cardagent.readers import PcscReader, connect_error, list_readers_error


@pytest.mark.parametrize(
    ("hresult", "code"),
    [
        (0x8010000C, Code.NO_CARD),  # SCARD_E_NO_SMARTCARD
        (0x80100069, Code.NO_CARD),  # SCARD_W_REMOVED_CARD: pulled between status and connect
        (0x80100066, Code.CARD_READ_FAILED),  # SCARD_W_UNRESPONSIVE_CARD: mute, upside down
        (0x80100067, Code.CARD_READ_FAILED),  # SCARD_W_UNPOWERED_CARD
        (0x80100009, Code.NO_READER),  # SCARD_E_UNKNOWN_READER: unplugged just now
        (0x8010001D, Code.PCSC_UNAVAILABLE),  # SCARD_E_NO_SERVICE
        (0x8010001E, Code.PCSC_UNAVAILABLE),  # SCARD_E_SERVICE_STOPPED
        (0x8010000B, Code.READER_ERROR),  # SCARD_E_SHARING_VIOLATION: another program has it
        (0x80100017, Code.READER_ERROR),  # SCARD_E_READER_UNAVAILABLE
    ],
)
def test_connect_errors(hresult: int, code: Code) -> None:
    error = connect_error(hresult)
    assert error.code == code
    assert f"0x{hresult:08X}" in error.detail


@pytest.mark.parametrize(
    ("hresult", "code"),
    [
        (0x8010002E, Code.NO_READER),  # SCARD_E_NO_READERS_AVAILABLE
        (0x8010001D, Code.PCSC_UNAVAILABLE),
        (0x80100001, Code.READER_ERROR),  # SCARD_F_INTERNAL_ERROR
    ],
)
def test_list_readers_errors(hresult: int, code: Code) -> None:
    assert list_readers_error(hresult).code == code


def test_missing_pyscard_is_7001_saying_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "smartcard", None)  # makes `import smartcard` fail
    with pytest.raises(CardError) as raised:
        PcscReader().list_readers()
    assert raised.value.code == Code.PCSC_UNAVAILABLE
    assert "pip install 'cardagent[pcsc]'" in raised.value.detail
    assert raised.value.body()["detail"] == raised.value.detail
