"""Test helpers: a software passkey authenticator, so HTTP tests need no browser.

It answers the server's options the way a phone does (packed "none" attestation, ES256 key,
user present and verified), and it can also misbehave on request: no user verification, the
wrong origin, a sign counter that goes backwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.encode_cbor import encode_cbor

ORIGIN = "http://testserver"
_UP, _UV, _AT = 0x01, 0x04, 0x40


@dataclass
class StoredCredential:
    credential_id: bytes
    key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


def _cose_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    numbers = key.public_key().public_numbers()
    x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
    return encode_cbor({1: 2, 3: -7, -1: 1, -2: x, -3: y})  # EC2, ES256, P-256


class SoftAuthenticator:
    """A resident-key authenticator holding its passkeys in memory."""

    def __init__(self, origin: str = ORIGIN) -> None:
        self.origin = origin
        self.credentials: list[StoredCredential] = []

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": origin or self.origin}
        return json.dumps(data).encode()

    def create(
        self, options: dict[str, Any], *, verified: bool = True, origin: str | None = None
    ) -> dict[str, Any]:
        """navigator.credentials.create(): a new passkey, as ``credential.toJSON()``."""
        excluded = {c["id"] for c in options.get("excludeCredentials", [])}
        if any(bytes_to_base64url(c.credential_id) in excluded for c in self.credentials):
            raise ValueError("InvalidStateError: this authenticator is already registered")
        stored = StoredCredential(
            credential_id=os.urandom(32),
            key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=options["rp"]["id"],
            user_handle=base64url_to_bytes(options["user"]["id"]),
        )
        flags = _UP | _AT | (_UV if verified else 0)
        attested = (
            bytes(16)  # AAGUID: none
            + struct.pack(">H", len(stored.credential_id))
            + stored.credential_id
            + _cose_key(stored.key)
        )
        auth_data = (
            hashlib.sha256(stored.rp_id.encode()).digest()
            + bytes([flags])
            + struct.pack(">I", stored.sign_count)
            + attested
        )
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        # Like a phone: a new passkey for the same user replaces the old one.
        self.credentials = [
            c
            for c in self.credentials
            if (c.rp_id, c.user_handle) != (stored.rp_id, stored.user_handle)
        ]
        self.credentials.append(stored)
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return _as_json(
            stored,
            clientDataJSON=bytes_to_base64url(client_data),
            attestationObject=bytes_to_base64url(attestation),
            transports=["internal", "hybrid"],
        )

    def get(
        self,
        options: dict[str, Any],
        *,
        credential: StoredCredential | None = None,
        verified: bool = True,
        origin: str | None = None,
        counter_step: int = 1,
    ) -> dict[str, Any]:
        """navigator.credentials.get(): sign with the newest (or the given) passkey."""
        stored = credential or self.credentials[-1]
        stored.sign_count += counter_step
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + bytes([_UP | (_UV if verified else 0)])
            + struct.pack(">I", stored.sign_count)
        )
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = stored.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return _as_json(
            stored,
            clientDataJSON=bytes_to_base64url(client_data),
            authenticatorData=bytes_to_base64url(auth_data),
            signature=bytes_to_base64url(signature),
            userHandle=bytes_to_base64url(stored.user_handle),
        )


def _as_json(stored: StoredCredential, **response: Any) -> dict[str, Any]:
    """What the browser's ``credential.toJSON()`` posts."""
    return {
        "id": bytes_to_base64url(stored.credential_id),
        "rawId": bytes_to_base64url(stored.credential_id),
        "type": "public-key",
        "response": response,
        "authenticatorAttachment": "platform",
        "clientExtensionResults": {},
    }


def turn_into_passkey_session(client: Any, account: Any) -> None:
    """Make a logged-in test client's session look as a passkey sign-in leaves it."""
    from django.utils import timezone

    from cardreg.accounts.middleware import AUTH_METHOD
    from cardreg.devices.access import PASSKEY_DEVICE
    from cardreg.devices.models import Device

    device = Device.objects.create(
        account=account,
        name="手機",
        credential_id=f"test-credential-{account.pk}",
        public_key=b"not used",
        user_handle="test",
        created_at=timezone.now(),
    )
    session = client.session
    session[AUTH_METHOD] = "passkey"
    session[PASSKEY_DEVICE] = device.pk
    session.save()
