"""角色管理 (unit administrator only): roles, and granting them to clerks by national ID."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cardreg.accounts.access import current_account
from cardreg.cards.models import Person
from cardreg.employers import actions
from cardreg.employers.access import UnitAccess
from cardreg.employers.actions import Refused, RoleFields
from cardreg.employers.forms import REFUSAL_FIELDS, role_fields
from cardreg.employers.messages import (
    ROLE_DELETED,
    ROLE_GRANTED,
    ROLE_REVOKED,
    ROLE_SAVED,
    refusal_message,
)
from cardreg.employers.models import Role, RoleGrant
from cardreg.employers.page_access import unit_page
from cardreg.lib.masking import mask_national_id
from cardreg.lib.text import to_half_width


@dataclass(frozen=True)
class GrantRow:
    pk: int
    clerk: str  # masked ID
    name: str


def _grant_rows(role: Role) -> list[GrantRow]:
    grants = list(RoleGrant.objects.filter(role=role).order_by("granted_at", "pk"))
    ids = [grant.national_id for grant in grants]
    names = dict(Person.objects.filter(national_id__in=ids).values_list("national_id", "name"))
    return [
        GrantRow(grant.pk, mask_national_id(grant.national_id), names.get(grant.national_id, ""))
        for grant in grants
    ]


def _role(access: UnitAccess, pk: int) -> Role:
    return get_object_or_404(Role, pk=pk, unit=access.unit)


def _role_page(
    request: HttpRequest,
    access: UnitAccess,
    role: Role | None,
    fields: RoleFields,
    *,
    errors: dict[str, str] | None = None,
    national_id: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "access": access,
        "role": role,
        "fields": fields,
        "errors": errors or {},
        "grants": _grant_rows(role) if role is not None else [],
        "national_id": national_id,
    }
    return render(request, "employers/role_form.html", context, status=status)


def _refusal(refused: Refused) -> dict[str, str]:
    return {REFUSAL_FIELDS.get(refused.refusal, "form"): refusal_message(refused)}


def _fields_of(role: Role) -> RoleFields:
    return RoleFields(role.name, role.description, role.can_upload, role.can_query)


@require_GET
@unit_page("administer")
def roles(request: HttpRequest, access: UnitAccess) -> HttpResponse:
    unit_roles = Role.objects.filter(unit=access.unit).order_by("name")
    rows = [(role, _grant_rows(role)) for role in unit_roles]
    return render(request, "employers/roles.html", {"access": access, "rows": rows})


@require_http_methods(["GET", "POST"])
@unit_page("administer")
def role_new(request: HttpRequest, access: UnitAccess) -> HttpResponse:
    if request.method == "GET":
        return _role_page(request, access, None, RoleFields(name=""))
    fields = role_fields(request.POST)
    try:
        role = actions.create_role(
            access.unit, fields, by=current_account(request), request=request
        )
    except Refused as refused:
        return _role_page(request, access, None, fields, errors=_refusal(refused), status=400)
    messages.success(request, str(ROLE_SAVED) % {"name": role.name})
    return redirect("employers:role", code=access.unit.code, pk=role.pk)


@require_http_methods(["GET", "POST"])
@unit_page("administer")
def role_edit(request: HttpRequest, access: UnitAccess, pk: int) -> HttpResponse:
    role = _role(access, pk)
    if request.method == "GET":
        return _role_page(request, access, role, _fields_of(role))
    fields = role_fields(request.POST)
    try:
        actions.update_role(role, fields, by=current_account(request), request=request)
    except Refused as refused:
        return _role_page(request, access, role, fields, errors=_refusal(refused), status=400)
    messages.success(request, str(ROLE_SAVED) % {"name": fields.name.strip()})
    return redirect("employers:role", code=access.unit.code, pk=role.pk)


@require_http_methods(["GET", "POST"])
@unit_page("administer")
def role_delete(request: HttpRequest, access: UnitAccess, pk: int) -> HttpResponse:
    """刪除: GET asks for the confirmation, POST deletes the role and its grants."""
    role = _role(access, pk)
    if request.method == "GET":
        context = {"access": access, "role": role, "grants": _grant_rows(role)}
        return render(request, "employers/role_delete.html", context)
    actions.delete_role(role, by=current_account(request), request=request)
    messages.success(request, str(ROLE_DELETED) % {"name": role.name})
    return redirect("employers:roles", code=access.unit.code)


@require_POST
@unit_page("administer")
def role_grant(request: HttpRequest, access: UnitAccess, pk: int) -> HttpResponse:
    role = _role(access, pk)
    national_id = to_half_width(request.POST.get("national_id", "")).strip().upper()
    try:
        actions.grant_role(role, national_id, by=current_account(request), request=request)
    except Refused as refused:
        errors = _refusal(refused)
        fields = _fields_of(role)
        return _role_page(
            request, access, role, fields, errors=errors, national_id=national_id, status=400
        )
    clerk = mask_national_id(national_id)
    messages.success(request, str(ROLE_GRANTED) % {"name": role.name, "clerk": clerk})
    return redirect("employers:role", code=access.unit.code, pk=role.pk)


@require_POST
@unit_page("administer")
def role_revoke(request: HttpRequest, access: UnitAccess, pk: int, grant: int) -> HttpResponse:
    role = _role(access, pk)
    held = get_object_or_404(RoleGrant, pk=grant, role=role)
    try:
        actions.revoke_role(role, held.national_id, by=current_account(request), request=request)
    except Refused:  # revoked meanwhile, in another tab
        raise Http404 from None
    clerk = mask_national_id(held.national_id)
    messages.success(request, str(ROLE_REVOKED) % {"name": role.name, "clerk": clerk})
    return redirect("employers:role", code=access.unit.code, pk=role.pk)
