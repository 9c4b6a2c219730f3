"""The card dialogue, over any reader's ``transmit``: one code path for PC/SC and virtual cards."""

from __future__ import annotations

from collections.abc import Callable

from cardagent import apdu
from cardagent.codes import CardError, Code
from cardagent.proof import proof_message
from cardagent.record import CardData, parse_basic_data

Transmit = Callable[[bytes], bytes]

# T=0 cards answer 61xx ("xx more bytes: send GET RESPONSE"); chaining a few times covers every
# real card, while a loop without bound would hang on a broken one.
_MAX_CHAINED = 8


def exchange(transmit: Transmit, command: bytes) -> apdu.Response:
    """Send one command and collect the whole answer, following T=0 continuation words."""
    response = _parse(transmit(command))
    data = b""
    for _ in range(_MAX_CHAINED):
        if response.sw >> 8 != 0x61:
            break
        data += response.data
        response = _parse(transmit(apdu.get_response(response.sw & 0xFF)))
    return apdu.Response(data + response.data, response.sw)


def _parse(raw: bytes) -> apdu.Response:
    try:
        return apdu.Response.parse(raw)
    except ValueError:
        raise CardError(Code.CARD_READ_FAILED, "the card answered without status bytes") from None


def select_nhi(transmit: Transmit) -> None:
    if not exchange(transmit, apdu.SELECT_NHI).ok:
        raise CardError(Code.NOT_NHI_CARD, "SELECT of the NHI application was refused")


def read_basic_data(transmit: Transmit) -> CardData:
    select_nhi(transmit)
    return _read_selected(transmit)


def _read_selected(transmit: Transmit) -> CardData:
    response = exchange(transmit, apdu.READ_BASIC_DATA)
    if not response.ok:
        raise CardError(Code.BASIC_DATA_REFUSED, f"READ BASIC DATA answered {response.sw:04X}")
    return parse_basic_data(response.data)


def sign(transmit: Transmit, origin: str, challenge: str) -> bytes:
    """The card's raw 64-byte signature of :func:`proof_message`; 8302 if it cannot sign."""
    select_nhi(transmit)
    return _sign_selected(transmit, origin, challenge)


def _sign_selected(transmit: Transmit, origin: str, challenge: str) -> bytes:
    command = apdu.internal_authenticate(proof_message(origin, challenge))
    response = exchange(transmit, command)
    # A real NHI card answers 6D00/6A81/6E00...: it can prove itself only to the NHI's SAM.
    if not response.ok or len(response.data) != apdu.SIGNATURE_LENGTH:
        raise CardError(Code.PROOF_UNSUPPORTED, f"INTERNAL AUTHENTICATE answered {response.sw:04X}")
    return response.data


def read_and_sign(transmit: Transmit, origin: str, challenge: str) -> tuple[CardData, bytes]:
    """Basic data and signature in one session: one SELECT, so one card answers both."""
    select_nhi(transmit)
    return _read_selected(transmit), _sign_selected(transmit, origin, challenge)
