"""The 403 page of a clerk who lacks a right: which right, and who in his unit can grant it."""

from __future__ import annotations

import pytest

from cardreg.employers.models import InsuranceUnit, UnitAdministrator
from cardreg.employers.tests.conftest import ADMIN_ID
from cardreg.employers.tests.pages import Cast, employer_login, make_cast, text
from cardreg.lib.masking import mask_national_id

UNIT = "/employer/133397421"


@pytest.fixture
def cast(unit: InsuranceUnit, other_unit: InsuranceUnit) -> Cast:
    return make_cast(unit, other_unit)


def test_a_clerk_without_the_upload_right_is_told_to_ask_the_administrator_by_name(
    cast: Cast,
) -> None:
    response = employer_login(cast.query_only).get(f"{UNIT}/upload")
    assert response.status_code == 403
    assert text(response).split("沒有權限")[-1].split("回「")[0].strip() == (
        "您在這個投保單位沒有「健保卡註冊上傳」權限。如需使用，請洽貴單位的投保單位管理者"
        "（陳管理），在「角色管理」將含此權限的角色授予您。"
    )


def test_a_clerk_without_the_query_right_is_refused_the_history(cast: Cast) -> None:
    response = employer_login(cast.upload_only).get(f"{UNIT}/batches")
    assert response.status_code == 403
    assert "沒有「健保卡註冊查詢」權限" in text(response)


def test_role_management_is_not_offered_as_a_role_to_ask_for(cast: Cast) -> None:
    response = employer_login(cast.clerk).get(f"{UNIT}/roles")
    assert response.status_code == 403
    page = text(response)
    assert (
        "「角色管理」只有貴單位的投保單位管理者（陳管理）可以使用，無法以角色授予其他人。"
        "如需更換貴單位的投保單位管理者，請洽健保署免付費客服專線 0800-030598。"
    ) in page
    assert "授予您" not in page


def test_the_administrators_id_is_never_shown(cast: Cast) -> None:
    for url in (f"{UNIT}/upload", f"{UNIT}/roles"):
        page = employer_login(cast.query_only).get(url).content.decode()
        assert ADMIN_ID not in page
        assert mask_national_id(ADMIN_ID) not in page


def test_an_administrator_the_card_registry_does_not_know_is_named_by_his_role(
    cast: Cast,
) -> None:
    UnitAdministrator.objects.filter(unit=cast.unit).update(national_id="J100000000")
    page = text(employer_login(cast.query_only).get(f"{UNIT}/upload"))
    assert "如需使用，請洽貴單位的投保單位管理者，在「角色管理」" in page


def test_the_page_leads_back_to_the_unit_and_the_unit_list(cast: Cast) -> None:
    content = employer_login(cast.query_only).get(f"{UNIT}/upload").content.decode()
    assert f'<a href="{UNIT}/">回「單位133397421」的作業項目</a>' in content
    assert '<a href="/employer/">回投保單位清單</a>' in content


def test_the_page_speaks_english(cast: Cast) -> None:
    client = employer_login(cast.clerk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(client.get(f"{UNIT}/roles"))
    assert (
        "Only your unit's administrator (陳管理) can use Role management; it cannot be granted "
        "to anybody else through a role."
    ) in page
    client = employer_login(cast.query_only)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(client.get(f"{UNIT}/upload"))
    assert (
        'You do not have the "NHI card registration upload" right in this insurance unit. '
        "To use it, ask your unit's administrator (陳管理) to grant you a role with this right "
        "in Role management."
    ) in page
