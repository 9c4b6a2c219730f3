"""A virtual card answers the NHI commands byte for byte as a card of our profile would."""

from __future__ import annotations

from cardagent import apdu
from cardagent.proof import proof_message, verify_signature
from cardagent.record import build_basic_data
from cardagent.virtual import NHI_ATR, VirtualCard

SELECT = bytes.fromhex("00 A4 04 00 10 D1 58 00 00 01 00 00 00 00 00 00 00 00 00 11 00")
READ = bytes.fromhex("00 CA 11 00 02 00 00")


def test_select_then_read_basic_data(virtual_card: VirtualCard) -> None:
    assert virtual_card.process_apdu(SELECT) == b"\x90\x00"
    answer = virtual_card.process_apdu(READ)
    assert answer[-2:] == b"\x90\x00"
    assert answer[:-2] == build_basic_data(virtual_card.data)
    assert len(answer) == 57 + 2


def test_read_before_select_is_refused(virtual_card: VirtualCard) -> None:
    assert virtual_card.process_apdu(READ) == b"\x69\x85"


def test_selecting_another_application_deselects(virtual_card: VirtualCard) -> None:
    virtual_card.process_apdu(SELECT)
    other = bytes.fromhex("00 A4 04 00 07 A0 00 00 00 03 10 10")
    assert virtual_card.process_apdu(other) == b"\x6a\x82"
    assert virtual_card.process_apdu(READ) == b"\x69\x85"


def test_reset_forgets_the_selection(virtual_card: VirtualCard) -> None:
    virtual_card.process_apdu(SELECT)
    virtual_card.reset()
    assert virtual_card.process_apdu(READ) == b"\x69\x85"


def test_unknown_instruction_and_class(virtual_card: VirtualCard) -> None:
    assert virtual_card.process_apdu(bytes.fromhex("00 B0 00 00 10")) == b"\x6d\x00"
    assert virtual_card.process_apdu(bytes.fromhex("80 CA 11 00 02 00 00")) == b"\x6e\x00"


def test_malformed_lengths(virtual_card: VirtualCard) -> None:
    assert virtual_card.process_apdu(b"\x00\xa4") == b"\x67\x00"
    assert virtual_card.process_apdu(bytes.fromhex("00 A4 04 00 10 D1 58")) == b"\x67\x00"


def test_read_with_wrong_parameters(virtual_card: VirtualCard) -> None:
    virtual_card.process_apdu(SELECT)
    assert virtual_card.process_apdu(bytes.fromhex("00 CA 12 00 02 00 00")) == b"\x6a\x86"
    assert virtual_card.process_apdu(bytes.fromhex("00 CA 11 00 02 00 01")) == b"\x6a\x80"


def test_internal_authenticate_signs_the_proof_message(virtual_card: VirtualCard) -> None:
    message = proof_message("http://localhost:8000", "challenge-0123456789")
    virtual_card.process_apdu(SELECT)
    answer = virtual_card.process_apdu(apdu.internal_authenticate(message))
    assert answer[-2:] == b"\x90\x00"
    signature = answer[:-2]
    assert len(signature) == 64
    assert virtual_card.private_key is not None
    assert verify_signature(virtual_card.private_key.public_key(), message, signature)


def test_internal_authenticate_needs_select_and_64_bytes(virtual_card: VirtualCard) -> None:
    command = apdu.internal_authenticate(bytes(64))
    assert virtual_card.process_apdu(command) == b"\x69\x85"
    virtual_card.process_apdu(SELECT)
    short = bytes.fromhex("00 88 00 00 20") + bytes(32) + b"\x00"
    assert virtual_card.process_apdu(short) == b"\x67\x00"


def test_card_without_key_refuses_internal_authenticate(nhi_like_card: VirtualCard) -> None:
    nhi_like_card.process_apdu(SELECT)
    assert nhi_like_card.process_apdu(apdu.internal_authenticate(bytes(64))) == b"\x6d\x00"
    assert nhi_like_card.process_apdu(READ)[-2:] == b"\x90\x00"


def test_atr_is_an_nhi_card_atr(virtual_card: VirtualCard) -> None:
    assert virtual_card.atr == NHI_ATR
    assert NHI_ATR.hex(" ").upper().startswith("3B FF 18 00")
