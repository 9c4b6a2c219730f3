"""Mobile devices bound to an account as passkeys (WebAuthn credentials)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DeviceQuerySet(models.QuerySet["Device"]):
    def active(self) -> DeviceQuerySet:
        return self.filter(revoked_at__isnull=True)


class Device(models.Model):
    """One passkey. Revoked rows stay for the audit trail; a revoked credential never signs in."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices"
    )
    name = models.CharField(max_length=40)  # the holder's own label, e.g. 我的手機
    # base64url of the credential ID (at most 1,023 bytes → 1,364 characters)
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()  # COSE_Key as the authenticator sent it
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)  # e.g. ["internal", "hybrid"]
    # base64url of the WebAuthn user.id sent at binding: an HMAC of the account, never its ID
    user_handle = models.CharField(max_length=88)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        indexes = (models.Index(fields=["account", "revoked_at"]),)

    def __str__(self) -> str:
        return f"Device {self.pk} of account {self.account_id}"
