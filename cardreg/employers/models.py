"""Insurance units (投保單位), who may act for them, and the API tokens of their HR systems.

People are recorded by national ID, not by account: the operator provisions an administrator
who may not have registered yet, and the rights are looked up the same way for a page request
(the logged-in account's ID) and an API request (the token's ID). The checksum of an ID is
checked by the actions; the tables hold its shape only.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

UNIT_CODE_LENGTH = 9
UNIT_NAME_MAX_LENGTH = 100
ROLE_NAME_MAX_LENGTH = 50
ROLE_DESCRIPTION_MAX_LENGTH = 200

_UNIT_CODE_SHAPE = r"^[0-9]{9}$"
# Letter + 1/2/8/9 or A–D + 8 digits (cardreg.lib.national_id has the whole rule).
_NATIONAL_ID_SHAPE = r"^[A-Z][1289A-D][0-9]{8}$"


def is_unit_code(value: str) -> bool:
    """A 投保單位代號: exactly 9 ASCII digits."""
    return len(value) == UNIT_CODE_LENGTH and value.isascii() and value.isdigit()


def _id_shape(model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(national_id__regex=_NATIONAL_ID_SHAPE),
        name=f"employers_{model}_national_id_shape",
    )


class InsuranceUnit(models.Model):
    """投保單位: its 投保單位代號 (9 digits) and name, as the NHI knows them."""

    code = models.CharField(max_length=UNIT_CODE_LENGTH, unique=True)
    name = models.CharField(max_length=UNIT_NAME_MAX_LENGTH)

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=Q(code__regex=_UNIT_CODE_SHAPE), name="employers_unit_code_9_digits"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="employers_unit_name_not_empty"),
        )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class UnitAdministrator(models.Model):
    """The unit's administrator (投保單位管理者): every right in the unit. One per unit; the
    operator replaces him with ``create_unit``."""

    unit = models.OneToOneField(
        InsuranceUnit, on_delete=models.CASCADE, related_name="administrator"
    )
    national_id = models.CharField(max_length=10, db_index=True)

    class Meta:
        constraints = (_id_shape("administrator"),)

    def __str__(self) -> str:
        return f"Administrator of {self.unit.code}"


class Role(models.Model):
    """角色: a named set of rights the administrator grants to clerks (角色管理)."""

    unit = models.ForeignKey(InsuranceUnit, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=ROLE_NAME_MAX_LENGTH)  # 角色名稱
    description = models.CharField(max_length=ROLE_DESCRIPTION_MAX_LENGTH, blank=True)
    can_upload = models.BooleanField(default=False)  # 健保卡註冊上傳
    can_query = models.BooleanField(default=False)  # 健保卡註冊查詢

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["unit", "name"], name="employers_role_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="employers_role_name_not_empty"),
        )

    def __str__(self) -> str:
        return f"Role {self.name} of {self.unit_id}"


class RoleGrant(models.Model):
    """A role held by a clerk (承辦人). Revoking deletes the row; the audit log keeps the story."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="grants")
    national_id = models.CharField(max_length=10, db_index=True)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["role", "national_id"], name="employers_grant_once_per_role"
            ),
            _id_shape("grant"),
        )

    def __str__(self) -> str:
        return f"Grant of role {self.role_id}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token an HR system uses to act for one person in one unit. Only its SHA-256 is
    stored; the token is shown once. It carries no rights of its own: every request checks the
    person's current rights in the unit."""

    unit = models.ForeignKey(InsuranceUnit, on_delete=models.CASCADE, related_name="api_tokens")
    national_id = models.CharField(max_length=10)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        indexes = (models.Index(fields=["unit", "national_id"]),)
        constraints = (_id_shape("api_token"),)

    def __str__(self) -> str:
        return f"ApiToken {self.digest[:8]} of {self.unit_id}"
