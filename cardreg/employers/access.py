"""Who may do what for which insurance unit: every employer page and API call goes through here.

The unit administrator holds every right; a clerk holds the union of the rights of the roles
granted to him; anybody else holds none. Rights are read from the database on every call and
never kept in a session or cache, so a revoked grant or role is refused on the next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from cardreg.accounts.models import Account
from cardreg.accounts.tokens import token_digest
from cardreg.cards.models import Person
from cardreg.employers.models import ApiToken, InsuranceUnit, RoleGrant, UnitAdministrator

Right = Literal["upload", "query", "administer"]

# last_used_at is for the administrator's token list, not an access log: one write a minute.
_LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class Rights:
    can_upload: bool = False  # 健保卡註冊上傳
    can_query: bool = False  # 健保卡註冊查詢
    is_administrator: bool = False  # 角色管理, and sees every upload of the unit

    def __bool__(self) -> bool:
        return self.can_upload or self.can_query or self.is_administrator

    def __or__(self, other: Rights) -> Rights:
        return Rights(
            can_upload=self.can_upload or other.can_upload,
            can_query=self.can_query or other.can_query,
            is_administrator=self.is_administrator or other.is_administrator,
        )

    def has(self, right: Right) -> bool:
        return {
            "upload": self.can_upload,
            "query": self.can_query,
            "administer": self.is_administrator,
        }[right]


NO_RIGHTS = Rights()
ADMINISTRATOR = Rights(can_upload=True, can_query=True, is_administrator=True)


@dataclass(frozen=True)
class UnitAccess:
    unit: InsuranceUnit
    rights: Rights


class MissingRight(PermissionDenied):
    """The user acts for the unit but lacks the right this page or call needs."""

    def __init__(self, right: Right, unit: InsuranceUnit) -> None:
        super().__init__(right)
        self.right = right
        self.unit = unit


def _rights_by_unit(national_id: str, unit: InsuranceUnit | None = None) -> dict[int, Rights]:
    """{unit pk: rights} of every unit where `national_id` holds a right (only `unit`, if given)."""
    admins = UnitAdministrator.objects.filter(national_id=national_id)
    grants = RoleGrant.objects.filter(national_id=national_id)
    if unit is not None:
        admins, grants = admins.filter(unit=unit), grants.filter(role__unit=unit)
    rights: dict[int, Rights] = {}
    granted = grants.values_list("role__unit_id", "role__can_upload", "role__can_query")
    for unit_id, can_upload, can_query in granted:
        rights[unit_id] = rights.get(unit_id, NO_RIGHTS) | Rights(can_upload, can_query)
    for unit_id in admins.values_list("unit_id", flat=True):
        rights[unit_id] = ADMINISTRATOR
    return {unit_id: held for unit_id, held in rights.items() if held}


def unit_rights(national_id: str, unit: InsuranceUnit) -> Rights:
    """What the person with `national_id` may do for `unit` now."""
    return _rights_by_unit(national_id, unit).get(unit.pk, NO_RIGHTS)


def units_for(national_id: str) -> list[UnitAccess]:
    """Every unit the person may act for, with the rights there, by unit code."""
    rights = _rights_by_unit(national_id)
    units = InsuranceUnit.objects.filter(pk__in=rights).order_by("code")
    return [UnitAccess(unit, rights[unit.pk]) for unit in units]


def get_unit_for_user(account: Account, unit_code: str, *, need: Right | None = None) -> UnitAccess:
    """The unit with `unit_code` and the account's rights there.

    Http404 if the unit does not exist or the account holds no right in it (another unit's pages
    look the same as a unit that does not exist); MissingRight (a 403) if it acts for the unit
    but lacks `need`.
    """
    unit = InsuranceUnit.objects.filter(code=unit_code).first()
    if unit is None or not account.is_active_account:
        raise Http404
    rights = unit_rights(account.national_id, unit)
    if not rights:
        raise Http404
    if need is not None and not rights.has(need):
        raise MissingRight(need, unit)
    return UnitAccess(unit, rights)


def administrator_name(unit: InsuranceUnit) -> str:
    """The name of the unit's administrator as the card registry knows it, or "" if it does not:
    a clerk refused a right is told whom to ask (by name only, never by ID)."""
    admin_ids = UnitAdministrator.objects.filter(unit=unit).values("national_id")
    names = Person.objects.filter(national_id__in=admin_ids).values_list("name", flat=True)
    return names.first() or ""


def authenticate_api_token(token: str) -> ApiToken | None:
    """The unrevoked token row for a bearer token, or None. The caller still checks the rights of
    the token's person with unit_rights() on every request."""
    row = ApiToken.objects.active().select_related("unit").filter(digest=token_digest(token))
    api_token = row.first()
    if api_token is None:
        return None
    now = timezone.now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - _LAST_USED_PRECISION)
    if ApiToken.objects.filter(stale, pk=api_token.pk).update(last_used_at=now):
        api_token.last_used_at = now
    return api_token
