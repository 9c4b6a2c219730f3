"""The pinned proof protocol: SHA-256(origin) ‖ SHA-256(challenge), ECDSA P-256, raw r ‖ s."""

from __future__ import annotations

import hashlib

from cardagent.proof import proof_message, sign_message, verify_signature
from cryptography.hazmat.primitives.asymmetric import ec


def test_proof_message_layout() -> None:
    message = proof_message("http://localhost:8000", "abc")
    assert message == (
        hashlib.sha256(b"http://localhost:8000").digest() + hashlib.sha256(b"abc").digest()
    )
    assert len(message) == 64


def test_origin_and_challenge_are_utf8() -> None:
    assert (
        proof_message("https://健保.example", "x")[:32]
        == hashlib.sha256("https://健保.example".encode()).digest()
    )


def test_signature_verifies_only_for_its_message_and_key() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    message = proof_message("http://localhost:8000", "challenge-one-1234")
    signature = sign_message(key, message)
    assert len(signature) == 64
    assert verify_signature(key.public_key(), message, signature)
    other_origin = proof_message("http://evil.example", "challenge-one-1234")
    assert not verify_signature(key.public_key(), other_origin, signature)
    other_key = ec.generate_private_key(ec.SECP256R1()).public_key()
    assert not verify_signature(other_key, message, signature)


def test_malformed_signatures_do_not_verify() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    message = proof_message("o", "c")
    signature = sign_message(key, message)
    assert not verify_signature(key.public_key(), message, signature[:63])
    assert not verify_signature(key.public_key(), message, bytes(64))
