"""Employer actions: units (by the operator), roles and grants (角色管理, by the unit
administrator) and API tokens. Each runs in one transaction with its audit event.

Callers check access first (cardreg.employers.access); an action refuses, with Refused, only
what nobody may do: a role without a name or rights, a grant to someone without an active
account, a token for someone without the upload right. Taking a right away also revokes the
API tokens whose person no longer holds the upload right in the unit, so a token never comes
back to life when the person is granted a role again.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from cardreg.accounts.models import Account, AccountStatus
from cardreg.accounts.tokens import token_digest
from cardreg.audit.actions import record_event
from cardreg.employers.access import unit_rights
from cardreg.employers.models import (
    ROLE_DESCRIPTION_MAX_LENGTH,
    ROLE_NAME_MAX_LENGTH,
    ApiToken,
    InsuranceUnit,
    Role,
    RoleGrant,
    UnitAdministrator,
)
from cardreg.lib.masking import mask_national_id
from cardreg.lib.national_id import IdProblem, check_national_id

OPERATOR = "operator"  # the audit actor of the management commands


class Refusal(enum.StrEnum):
    INVALID_ID = "invalid_id"
    ROLE_NAME_REQUIRED = "role_name_required"
    ROLE_NAME_TOO_LONG = "role_name_too_long"
    ROLE_NAME_TAKEN = "role_name_taken"
    ROLE_DESCRIPTION_TOO_LONG = "role_description_too_long"
    ROLE_NO_RIGHTS = "role_no_rights"
    CLERK_NOT_REGISTERED = "clerk_not_registered"
    ALREADY_GRANTED = "already_granted"
    NOT_GRANTED = "not_granted"
    NO_UPLOAD_RIGHT = "no_upload_right"


class Refused(Exception):
    """Why an action was not done; messages.refusal_message() says it to the user."""

    def __init__(self, refusal: Refusal, id_problem: IdProblem | None = None) -> None:
        super().__init__(id_problem or refusal)
        self.refusal, self.id_problem = refusal, id_problem


def _audit(
    action: str, by: Account | None, unit: InsuranceUnit, request: HttpRequest | None, **detail: Any
) -> None:
    actor = OPERATOR if by is None else mask_national_id(by.national_id)
    record_event(
        f"employers.{action}", actor=actor, subject=f"unit {unit.code}", request=request, **detail
    )


def _check_id(national_id: str) -> None:
    problem = check_national_id(national_id)
    if problem is not None:
        raise Refused(Refusal.INVALID_ID, problem)


@dataclass(frozen=True)
class ProvisionedUnit:
    unit: InsuranceUnit
    created: bool
    administrator_changed: bool


@transaction.atomic
def provision_unit(*, code: str, name: str, administrator_id: str) -> ProvisionedUnit:
    """The unit `code` with this name and administrator, created or brought up to date (the
    operator's create_unit, which has checked the code and name). A replaced administrator
    loses his rights, and his API tokens for the unit unless a role gives him the upload right."""
    _check_id(administrator_id)
    unit, created = InsuranceUnit.objects.select_for_update().get_or_create(
        code=code, defaults={"name": name}
    )
    if unit.name != name:
        unit.name = name
        unit.save(update_fields=["name"])
    admin, _ = UnitAdministrator.objects.get_or_create(
        unit=unit, defaults={"national_id": administrator_id}
    )
    changed = admin.national_id != administrator_id
    if changed:
        admin.national_id = administrator_id
        admin.save(update_fields=["national_id"])
    revoked = _revoke_tokens_without_upload(unit)
    _audit(
        "unit_created" if created else "unit_updated",
        None,
        unit,
        None,
        administrator=mask_national_id(administrator_id),
        administrator_changed=changed,
        tokens_revoked=revoked,
    )
    return ProvisionedUnit(unit=unit, created=created, administrator_changed=changed)


@dataclass(frozen=True)
class RoleFields:
    """What the 角色管理 form holds: 角色名稱, its description and the check-list of rights."""

    name: str
    description: str = ""
    can_upload: bool = False  # 健保卡註冊上傳
    can_query: bool = False  # 健保卡註冊查詢


def _clean_role(fields: RoleFields) -> RoleFields:
    name, description = fields.name.strip(), fields.description.strip()
    if not name:
        raise Refused(Refusal.ROLE_NAME_REQUIRED)
    if len(name) > ROLE_NAME_MAX_LENGTH:
        raise Refused(Refusal.ROLE_NAME_TOO_LONG)
    if len(description) > ROLE_DESCRIPTION_MAX_LENGTH:
        raise Refused(Refusal.ROLE_DESCRIPTION_TOO_LONG)
    if not (fields.can_upload or fields.can_query):
        raise Refused(Refusal.ROLE_NO_RIGHTS)
    return replace(fields, name=name, description=description)


def _save_role(role: Role, fields: RoleFields, update_fields: list[str] | None = None) -> None:
    role.name, role.description = fields.name, fields.description
    role.can_upload, role.can_query = fields.can_upload, fields.can_query
    try:
        with transaction.atomic():
            role.save(update_fields=update_fields)
    except IntegrityError:
        raise Refused(Refusal.ROLE_NAME_TAKEN) from None


@transaction.atomic
def create_role(
    unit: InsuranceUnit, fields: RoleFields, *, by: Account, request: HttpRequest | None = None
) -> Role:
    """儲存 of a new role (角色名稱 unique in the unit, at least one right)."""
    role = Role(unit=unit)
    _save_role(role, _clean_role(fields))
    rights = {"can_upload": role.can_upload, "can_query": role.can_query}
    _audit("role_created", by, unit, request, role=role.pk, **rights)
    return role


@transaction.atomic
def update_role(
    role: Role, fields: RoleFields, *, by: Account, request: HttpRequest | None = None
) -> Role:
    """儲存 of an existing role; a right taken away is gone on its holders' next request."""
    fields = _clean_role(fields)
    role = Role.objects.select_for_update().select_related("unit").get(pk=role.pk)
    _save_role(role, fields, ["name", "description", "can_upload", "can_query"])
    revoked = _revoke_tokens_without_upload(role.unit)
    rights = {"can_upload": role.can_upload, "can_query": role.can_query}
    _audit("role_updated", by, role.unit, request, role=role.pk, **rights, tokens_revoked=revoked)
    return role


@transaction.atomic
def delete_role(role: Role, *, by: Account, request: HttpRequest | None = None) -> None:
    """刪除 of a role, with its grants."""
    unit, pk = role.unit, role.pk
    grants = RoleGrant.objects.filter(role=role).count()
    Role.objects.filter(pk=pk).delete()
    revoked = _revoke_tokens_without_upload(unit)
    _audit("role_deleted", by, unit, request, role=pk, grants=grants, tokens_revoked=revoked)


@transaction.atomic
def grant_role(
    role: Role, national_id: str, *, by: Account, request: HttpRequest | None = None
) -> RoleGrant:
    """Give a clerk, named by national ID, a role; he must hold an active (registered) account."""
    _check_id(national_id)
    registered = Account.objects.filter(national_id=national_id, status=AccountStatus.ACTIVE)
    if not registered.exists():
        raise Refused(Refusal.CLERK_NOT_REGISTERED)
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(role=role, national_id=national_id)
    except IntegrityError:
        raise Refused(Refusal.ALREADY_GRANTED) from None
    clerk = mask_national_id(national_id)
    _audit("role_granted", by, role.unit, request, role=role.pk, clerk=clerk)
    return grant


@transaction.atomic
def revoke_role(
    role: Role, national_id: str, *, by: Account, request: HttpRequest | None = None
) -> None:
    """Take a role away from a clerk; his next request is refused what it gave."""
    deleted, _ = RoleGrant.objects.filter(role=role, national_id=national_id).delete()
    if not deleted:
        raise Refused(Refusal.NOT_GRANTED)
    revoked = _revoke_tokens_without_upload(role.unit)
    clerk = mask_national_id(national_id)
    _audit(
        "role_revoked", by, role.unit, request, role=role.pk, clerk=clerk, tokens_revoked=revoked
    )


@dataclass(frozen=True)
class IssuedApiToken:
    token: str  # shown once; only its digest is stored
    api_token: ApiToken


@transaction.atomic
def issue_api_token(
    unit: InsuranceUnit,
    national_id: str,
    *,
    by: Account | None,
    request: HttpRequest | None = None,
) -> IssuedApiToken:
    """A new bearer token (256 random bits) acting for `national_id` in `unit`, who must hold the
    upload right there now (the administrator, registered or not, or a clerk with such a role)."""
    _check_id(national_id)
    if not unit_rights(national_id, unit).can_upload:
        raise Refused(Refusal.NO_UPLOAD_RIGHT)
    token = secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        unit=unit, national_id=national_id, digest=token_digest(token)
    )
    holder = mask_national_id(national_id)
    _audit("api_token_issued", by, unit, request, token=api_token.pk, holder=holder)
    return IssuedApiToken(token=token, api_token=api_token)


@transaction.atomic
def revoke_api_token(
    api_token: ApiToken, *, by: Account | None, request: HttpRequest | None = None
) -> None:
    """The token stops working at once; revoking a revoked token changes nothing."""
    if ApiToken.objects.active().filter(pk=api_token.pk).update(revoked_at=timezone.now()):
        _audit("api_token_revoked", by, api_token.unit, request, token=api_token.pk)


def _revoke_tokens_without_upload(unit: InsuranceUnit) -> int:
    """Revoke the unit's tokens whose person lost the upload right; how many. A unit has a few
    tokens, so one rights lookup per token is cheap."""
    now = timezone.now()
    revoked = 0
    for api_token in ApiToken.objects.active().filter(unit=unit):
        if not unit_rights(api_token.national_id, unit).can_upload:
            api_token.revoked_at = now
            api_token.save(update_fields=["revoked_at"])
            revoked += 1
    return revoked
