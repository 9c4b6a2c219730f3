"""The NHI card's commands (SPEC §4) and the byte-level APDU helpers shared by card and reader.

Only short APDUs (ISO 7816-4, Lc and Le of one byte) exist in this protocol.
"""

from __future__ import annotations

from dataclasses import dataclass

NHI_AID = bytes.fromhex("D1 58 00 00 01 00 00 00 00 00 00 00 00 00 11 00")
SELECT_NHI = bytes.fromhex("00 A4 04 00 10") + NHI_AID
READ_BASIC_DATA = bytes.fromhex("00 CA 11 00 02 00 00")
BASIC_DATA_LENGTH = 57

INS_SELECT = 0xA4
INS_READ_BASIC_DATA = 0xCA
INS_INTERNAL_AUTHENTICATE = 0x88
INS_GET_RESPONSE = 0xC0

# Our card profile's proof (SPEC §4): 64 bytes in, a 64-byte raw ECDSA P-256 signature out.
PROOF_MESSAGE_LENGTH = 64
SIGNATURE_LENGTH = 64

SW_OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_CONDITIONS_NOT_SATISFIED = 0x6985
SW_WRONG_DATA = 0x6A80
SW_FUNCTION_NOT_SUPPORTED = 0x6A81
SW_FILE_NOT_FOUND = 0x6A82
SW_INCORRECT_P1P2 = 0x6A86
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00


def internal_authenticate(message: bytes) -> bytes:
    """``00 88 00 00 40`` + the 64-byte proof message + ``00`` (Le: any length)."""
    if len(message) != PROOF_MESSAGE_LENGTH:
        raise ValueError(f"proof message must be {PROOF_MESSAGE_LENGTH} bytes")
    return bytes([0x00, INS_INTERNAL_AUTHENTICATE, 0x00, 0x00, len(message)]) + message + b"\x00"


def get_response(length: int) -> bytes:
    return bytes([0x00, INS_GET_RESPONSE, 0x00, 0x00, length & 0xFF])


@dataclass(frozen=True)
class Response:
    data: bytes
    sw: int

    @classmethod
    def parse(cls, raw: bytes) -> Response:
        if len(raw) < 2:
            raise ValueError("a response needs at least the two status bytes")
        return cls(bytes(raw[:-2]), int.from_bytes(raw[-2:], "big"))

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    def to_bytes(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")


@dataclass(frozen=True)
class Command:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    @classmethod
    def parse(cls, apdu: bytes) -> Command:
        """Parse a short command APDU (cases 1–4); ``ValueError`` if the lengths do not add up."""
        if len(apdu) < 4:
            raise ValueError("a command needs at least four header bytes")
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        lc = body[0]
        if lc == 0:
            raise ValueError("extended-length APDUs are not supported")
        if len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, data=bytes(body[1:]))
        if len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, data=bytes(body[1:-1]), le=body[-1] or 256)
        raise ValueError("Lc does not match the command length")
