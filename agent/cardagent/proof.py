"""The card-proof protocol (PINNED: the portal server verifies exactly this).

The card signs ``SHA-256(origin) ‖ SHA-256(challenge)`` (64 bytes, both UTF-8) with ECDSA P-256
and SHA-256, and answers the signature as raw ``r ‖ s`` (32 bytes each, big-endian). Binding the
origin means a signature made for one web page is worthless to any other.
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

_COORDINATE_BYTES = 32


def proof_message(origin: str, challenge: str) -> bytes:
    return (
        hashlib.sha256(origin.encode("utf-8")).digest()
        + hashlib.sha256(challenge.encode("utf-8")).digest()
    )


def sign_message(private_key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    """What a card of our profile does with INTERNAL AUTHENTICATE: a raw 64-byte signature."""
    r, s = decode_dss_signature(private_key.sign(message, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(_COORDINATE_BYTES, "big") + s.to_bytes(_COORDINATE_BYTES, "big")


def verify_signature(public_key: ec.EllipticCurvePublicKey, message: bytes, sig_raw: bytes) -> bool:
    if len(sig_raw) != 2 * _COORDINATE_BYTES:
        return False
    r = int.from_bytes(sig_raw[:_COORDINATE_BYTES], "big")
    s = int.from_bytes(sig_raw[_COORDINATE_BYTES:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True
