"""The card dialogue over a ``transmit`` function: the same for every reader."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cardagent import apdu
from cardagent.card import read_and_sign, read_basic_data, sign
from cardagent.codes import CardError, Code
from cardagent.proof import proof_message, verify_signature
from cardagent.record import build_basic_data
from cardagent.virtual import VirtualCard

ORIGIN = "http://localhost:8000"
CHALLENGE = "A1b2C3d4E5f6G7h8-_"


def scripted(answers: dict[int, bytes]) -> Callable[[bytes], bytes]:
    """A card that answers by instruction byte; anything else is 6D00."""
    return lambda command: answers.get(command[1], b"\x6d\x00")


def test_read_basic_data_from_a_virtual_card(virtual_card: VirtualCard) -> None:
    assert read_basic_data(virtual_card.process_apdu) == virtual_card.data


def test_sign_gives_a_signature_over_origin_and_challenge(virtual_card: VirtualCard) -> None:
    signature = sign(virtual_card.process_apdu, ORIGIN, CHALLENGE)
    assert virtual_card.private_key is not None
    public = virtual_card.private_key.public_key()
    assert verify_signature(public, proof_message(ORIGIN, CHALLENGE), signature)


def test_read_and_sign_in_one_session(virtual_card: VirtualCard) -> None:
    data, signature = read_and_sign(virtual_card.process_apdu, ORIGIN, CHALLENGE)
    assert data.card_number == virtual_card.card_number
    assert len(signature) == 64


def test_nhi_card_that_refuses_internal_authenticate_is_8302(nhi_like_card: VirtualCard) -> None:
    assert read_basic_data(nhi_like_card.process_apdu).name == "范姜峯"
    with pytest.raises(CardError) as raised:
        sign(nhi_like_card.process_apdu, ORIGIN, CHALLENGE)
    assert raised.value.code == Code.PROOF_UNSUPPORTED


@pytest.mark.parametrize("status", [b"\x6a\x81", b"\x6e\x00", b"\x69\x82"])
def test_any_refusal_of_internal_authenticate_is_8302(status: bytes) -> None:
    card = scripted({apdu.INS_SELECT: b"\x90\x00", apdu.INS_INTERNAL_AUTHENTICATE: status})
    with pytest.raises(CardError) as raised:
        sign(card, ORIGIN, CHALLENGE)
    assert raised.value.code == Code.PROOF_UNSUPPORTED


def test_a_short_signature_is_not_accepted() -> None:
    card = scripted(
        {apdu.INS_SELECT: b"\x90\x00", apdu.INS_INTERNAL_AUTHENTICATE: bytes(10) + b"\x90\x00"}
    )
    with pytest.raises(CardError) as raised:
        sign(card, ORIGIN, CHALLENGE)
    assert raised.value.code == Code.PROOF_UNSUPPORTED


def test_a_card_without_the_nhi_application_is_8006() -> None:
    with pytest.raises(CardError) as raised:
        read_basic_data(scripted({apdu.INS_SELECT: b"\x6a\x82"}))
    assert raised.value.code == Code.NOT_NHI_CARD


def test_refused_read_is_8010() -> None:
    card = scripted({apdu.INS_SELECT: b"\x90\x00", apdu.INS_READ_BASIC_DATA: b"\x69\x82"})
    with pytest.raises(CardError) as raised:
        read_basic_data(card)
    assert raised.value.code == Code.BASIC_DATA_REFUSED


@pytest.mark.parametrize("record", [bytes(57), b"\x20" * 30])
def test_malformed_record_is_8011(record: bytes) -> None:
    card = scripted({apdu.INS_SELECT: b"\x90\x00", apdu.INS_READ_BASIC_DATA: record + b"\x90\x00"})
    with pytest.raises(CardError) as raised:
        read_basic_data(card)
    assert raised.value.code == Code.BASIC_DATA_MALFORMED


def test_t0_card_answer_is_collected_with_get_response(virtual_card: VirtualCard) -> None:
    record = build_basic_data(virtual_card.data)
    card = scripted(
        {
            apdu.INS_SELECT: b"\x90\x00",
            apdu.INS_READ_BASIC_DATA: b"\x61\x39",
            apdu.INS_GET_RESPONSE: record + b"\x90\x00",
        }
    )
    assert read_basic_data(card) == virtual_card.data


def test_answer_without_status_bytes_is_8001() -> None:
    with pytest.raises(CardError) as raised:
        read_basic_data(lambda command: b"\x90")
    assert raised.value.code == Code.CARD_READ_FAILED
