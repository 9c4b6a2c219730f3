"""角色管理: roles (角色名稱, 說明, the two rights; 儲存 / 刪除 / 回上頁) and grants to clerks."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cardreg.employers.models import InsuranceUnit, Role, RoleGrant
from cardreg.employers.tests.pages import OUTSIDER_ID, Cast, employer_login, make_cast, text

ROLES = "/employer/133397421/roles"
BOTH = {"name": "人事承辦", "description": "人事室", "can_upload": "on", "can_query": "on"}


@pytest.fixture
def cast(unit: InsuranceUnit, other_unit: InsuranceUnit) -> Cast:
    return make_cast(unit, other_unit)


@pytest.fixture
def admin(cast: Cast) -> Client:
    return employer_login(cast.admin)


def create(client: Client, **fields: str) -> Role:
    response = client.post(f"{ROLES}/new", {**BOTH, **fields})
    assert response.status_code == 302, text(response)
    role = Role.objects.get(name=fields.get("name", BOTH["name"]))
    assert response["Location"] == f"{ROLES}/{role.pk}"
    return role


def test_the_role_list_shows_names_rights_and_masked_clerks(cast: Cast, admin: Client) -> None:
    page = text(admin.get(ROLES))
    assert "角色管理" in page and "投保單位代號 133397421" in page
    for column in ("角色名稱", "說明", "健保卡註冊上傳", "健保卡註冊查詢", "承辦人"):
        assert column in page
    assert "B12000**** 王承辦" in page
    assert "B120000008" not in page


def test_a_new_role_with_both_rights_is_saved(cast: Cast, admin: Client) -> None:
    form = text(admin.get(f"{ROLES}/new"))
    for label in ("角色名稱", "說明", "健保卡註冊上傳", "健保卡註冊查詢", "儲存", "回上頁"):
        assert label in form
    role = create(admin)
    assert (role.description, role.can_upload, role.can_query) == ("人事室", True, True)
    page = text(admin.get(f"{ROLES}/{role.pk}"))
    assert "角色「人事承辦」已儲存。" in page
    assert "刪除" in page
    assert "人事承辦" in text(admin.get(ROLES))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "  "}, "id_name-error", "請輸入角色名稱。"),
        ({"name": "角色1"}, "id_name-error", "本單位已有同名的角色，請換一個角色名稱。"),
        ({"can_upload": "", "can_query": ""}, "rights-error", "請至少勾選一項權限"),
        ({"description": "說" * 201}, "id_description-error", "角色說明最多 200 個字。"),
    ],
)
def test_a_refused_role_says_why_next_to_the_field(
    cast: Cast, admin: Client, fields: dict[str, str], field: str, message: str
) -> None:
    response = admin.post(f"{ROLES}/new", {**BOTH, **fields})
    assert response.status_code == 400
    error = response.content.decode().split(f'id="{field}">')[1].split("<")[0]
    assert message in error
    assert Role.objects.filter(unit=cast.unit).count() == 3  # only the cast's


def test_a_role_is_edited_and_its_rights_change_at_once(cast: Cast, admin: Client) -> None:
    role = cast.clerk_grant.role
    clerk = employer_login(cast.clerk)
    assert clerk.get("/employer/133397421/upload").status_code == 200
    response = admin.post(f"{ROLES}/{role.pk}", {"name": "查詢專用", "can_query": "on"})
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.name, role.can_upload, role.can_query) == ("查詢專用", False, True)
    assert clerk.get("/employer/133397421/upload").status_code == 403
    assert clerk.get("/employer/133397421/batches").status_code == 200


def test_delete_asks_first_then_deletes_the_role_and_its_grants(cast: Cast, admin: Client) -> None:
    role = cast.clerk_grant.role
    confirm = admin.get(f"{ROLES}/{role.pk}/delete")
    assert "確定要刪除角色「角色1」嗎?擁有此角色的 2 位承辦人將失去它的權限。" in text(confirm)
    assert Role.objects.filter(pk=role.pk).exists()
    response = admin.post(f"{ROLES}/{role.pk}/delete")
    assert response["Location"] == ROLES
    assert not Role.objects.filter(pk=role.pk).exists()
    assert "角色「角色1」已刪除。" in text(admin.get(ROLES))
    assert employer_login(cast.clerk).get("/employer/133397421/").status_code == 404


def test_a_role_is_granted_to_a_registered_clerk_by_national_id(cast: Cast, admin: Client) -> None:
    role = create(admin)
    response = admin.post(f"{ROLES}/{role.pk}/grants", {"national_id": f" {OUTSIDER_ID.lower()} "})
    assert response.status_code == 302
    assert RoleGrant.objects.filter(role=role, national_id=OUTSIDER_ID).exists()
    page = text(admin.get(f"{ROLES}/{role.pk}"))
    assert "已將角色「人事承辦」授予 H10000****。" in page
    assert "H10000**** 周路人" in page and OUTSIDER_ID not in page
    outsider = employer_login(cast.outsider)
    assert outsider.get("/employer/133397421/upload").status_code == 200


def test_every_column_of_the_grants_table_is_named(cast: Cast, admin: Client) -> None:
    page = admin.get(f"{ROLES}/{cast.clerk_grant.role.pk}").content.decode()
    head = page.split('id="grants"')[1].split("</thead>")[0]
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head)
    assert [re.sub(r"<[^>]+>", "", cell) for cell in cells] == ["身分證號", "姓名", "取消授權"]
    # The buttons name the last column: a screen reader hears it, the eye needs no header.
    assert cells[2] == '<span class="visually-hidden">取消授權</span>'


@pytest.mark.parametrize(
    ("national_id", "message"),
    [
        ("F100000042", "此身分證號尚未完成健保卡網路服務註冊"),  # valid, no account
        ("A123456788", "檢查碼"),
        ("B120000008", "此承辦人已擁有這個角色。"),
    ],
)
def test_a_refused_grant_says_why_next_to_the_id(
    cast: Cast, admin: Client, national_id: str, message: str
) -> None:
    role = cast.clerk_grant.role
    response = admin.post(f"{ROLES}/{role.pk}/grants", {"national_id": national_id})
    assert response.status_code == 400
    error = response.content.decode().split('id="id_national_id-error">')[1].split("<")[0]
    assert message in error


def test_a_revoked_clerk_is_refused_on_his_next_request(cast: Cast, admin: Client) -> None:
    clerk = employer_login(cast.clerk)
    assert clerk.get("/employer/133397421/upload").status_code == 200
    role, grant = cast.clerk_grant.role, cast.clerk_grant
    response = admin.post(f"{ROLES}/{role.pk}/grants/{grant.pk}/revoke")
    assert response["Location"] == f"{ROLES}/{role.pk}"
    assert "已取消 B12000**** 的角色「角色1」。" in text(admin.get(f"{ROLES}/{role.pk}"))
    assert clerk.get("/employer/133397421/upload").status_code == 404
    assert admin.post(f"{ROLES}/{role.pk}/grants/{grant.pk}/revoke").status_code == 404


def test_a_clerk_may_not_manage_roles(cast: Cast) -> None:
    clerk = employer_login(cast.clerk)
    role = cast.clerk_grant.role
    assert clerk.get(ROLES).status_code == 403
    assert "「角色管理」只有貴單位的投保單位管理者（陳管理）可以使用" in text(clerk.get(ROLES))
    assert clerk.post(f"{ROLES}/new", BOTH).status_code == 403
    assert clerk.post(f"{ROLES}/{role.pk}/delete").status_code == 403
    grant = clerk.post(f"{ROLES}/{role.pk}/grants", {"national_id": OUTSIDER_ID})
    assert grant.status_code == 403
    assert Role.objects.filter(pk=role.pk).exists()
    assert not RoleGrant.objects.filter(national_id=OUTSIDER_ID).exists()


def test_another_units_administrator_reaches_nothing(cast: Cast) -> None:
    other = employer_login(cast.other_admin)
    role = cast.clerk_grant.role
    assert other.get(ROLES).status_code == 404
    assert other.post(f"{ROLES}/{role.pk}/delete").status_code == 404
    # the role's number under his own unit's code: still not his
    assert other.get(f"/employer/120000000/roles/{role.pk}").status_code == 404
    assert other.post(f"/employer/120000000/roles/{role.pk}/delete").status_code == 404
    revoke = f"/employer/120000000/roles/{role.pk}/grants/{cast.clerk_grant.pk}/revoke"
    assert other.post(revoke).status_code == 404
    assert RoleGrant.objects.filter(pk=cast.clerk_grant.pk).exists()
