"""Registrant accounts: one per person, with the tokens mailed to them and abuse counters."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models

from cardreg.cards.models import Person
from cardreg.dbfields import RowIdAutoField


class AccountStatus(models.TextChoices):
    PENDING = "pending", "待電子信箱認證"
    ACTIVE = "active", "已啟用"


class AccountOrigin(models.TextChoices):
    SELF = "self", "本人申請"
    EMPLOYER = "employer", "投保單位整批註冊"


class AccountManager(BaseUserManager["Account"]):
    def create_user(self, national_id: str, password: str | None = None, **extra: Any) -> Account:
        account = self.model(national_id=national_id, **extra)
        account.set_password(password)
        account.save()
        return account


class Account(AbstractBaseUser):
    """A person's registration for online services. ``person`` makes it one account per person."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="account")
    national_id = models.CharField(max_length=10, unique=True)  # the login name Django needs
    status = models.CharField(
        max_length=16, choices=AccountStatus.choices, default=AccountStatus.PENDING
    )
    mobile = models.CharField(max_length=10)
    phone = models.CharField(max_length=24, blank=True)  # e.g. 02-12345678#1234
    email = models.EmailField(max_length=254)
    # A new primary address waits here until the link mailed to it is opened (帳號資料異動).
    email_pending = models.EmailField(max_length=254, blank=True)
    email_backup = models.EmailField(max_length=254, blank=True)
    # An employer's batch upload makes the account without a password: the registrant sets it
    # when he confirms with his card (健保卡註冊認證作業).
    origin = models.CharField(
        max_length=16, choices=AccountOrigin.choices, default=AccountOrigin.SELF
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "national_id"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = AccountManager()

    def __str__(self) -> str:
        return f"Account {self.national_id[:6]}****"

    @property
    def is_active_account(self) -> bool:
        return self.status == AccountStatus.ACTIVE


class TokenPurpose(models.TextChoices):
    CONFIRM_EMAIL = "confirm_email", "電子信箱認證"
    RESET_PASSWORD = "reset_password", "重設註冊密碼"
    CHANGE_EMAIL = "change_email", "變更主要E-Mail"
    ACTIVATE = "activate", "健保卡註冊認證"  # an employer-made account: card + own password


class EmailToken(models.Model):
    """A single-use link token. Only its SHA-256 is stored; only the newest one is valid."""

    id = RowIdAutoField(primary_key=True)  # a batch upload writes one per employee
    # No index of its own: the (account, purpose) index below serves lookups by account, and a
    # batch upload writes one token per employee.
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="tokens", db_index=False
    )
    purpose = models.CharField(max_length=32, choices=TokenPurpose.choices)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (
            models.Index(fields=["account", "purpose"]),
            # The hourly reminder and purge look for open links by expiry; only open ones here.
            models.Index(
                fields=["expires_at"],
                condition=models.Q(used_at__isnull=True, superseded_at__isnull=True),
                name="accounts_token_open_expiry",
            ),
        )

    def __str__(self) -> str:
        return f"EmailToken {self.purpose} {self.digest[:8]}"


class Throttle(models.Model):
    """Counts events for one (scope, key) in a window; the key is stored hashed, never raw."""

    scope = models.CharField(max_length=32)
    key_digest = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["scope", "key_digest"], name="one_throttle_per_key"),
        )

    def __str__(self) -> str:
        return f"Throttle {self.scope} {self.count}"
