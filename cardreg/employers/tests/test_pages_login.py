"""多憑證網路承保作業: login, the unit list, a unit's menu, and who reaches which page at all."""

from __future__ import annotations

import pytest
from django.test import Client

from cardreg.accounts.models import Account
from cardreg.cards.testing import make_signed_card
from cardreg.devices.testing import turn_into_passkey_session
from cardreg.employers.models import InsuranceUnit, RoleGrant
from cardreg.employers.testing import batch_rows, csv_bytes, submitted_batch
from cardreg.employers.tests.pages import (
    PASSWORD,
    Cast,
    employer_login,
    make_cast,
    text,
)

# Every page behind the login, with {code} and {pk} (a batch, a role) to fill in.
PAGES = [
    "/employer/",
    "/employer/{code}/",
    "/employer/{code}/roles",
    "/employer/{code}/roles/new",
    "/employer/{code}/roles/{role}",
    "/employer/{code}/roles/{role}/delete",
    "/employer/{code}/upload",
    "/employer/{code}/example.csv",
    "/employer/{code}/batches",
    "/employer/{code}/batches/{batch}",
    "/employer/{code}/batches/{batch}/progress",
    "/employer/{code}/batches/{batch}/log",
    "/employer/{code}/batches/{batch}/results.csv",
]


@pytest.fixture
def cast(unit: InsuranceUnit, other_unit: InsuranceUnit) -> Cast:
    return make_cast(unit, other_unit)


def urls(cast: Cast) -> list[str]:
    batch = submitted_batch(cast.unit, csv_bytes(batch_rows(["A123456789"])))
    values = {"code": cast.unit.code, "role": cast.clerk_grant.role_id, "batch": batch.pk}
    return [page.format(**values) for page in PAGES]


def test_the_home_login_page_links_to_the_employer_portal(db: None) -> None:
    home = Client().get("/").content.decode()
    assert 'href="/employer/login"' in home
    assert "投保單位整批註冊(多憑證網路承保作業)" in home


def test_the_login_page_offers_the_card_and_announces_the_citizen_certificate(db: None) -> None:
    response = Client().get("/employer/login")
    assert response.status_code == 200
    page = response.content.decode()
    assert "多憑證網路承保作業" in page
    assert "data-card-read" in page and 'name="password"' in page
    assert "自然人憑證登入(即將提供)" in page
    moica = page.split('id="moica-login"')[1].split(">")[0]
    assert "disabled" in moica


def test_card_and_password_log_in_and_list_the_units(cast: Cast) -> None:
    client = Client()
    cast.admin.prove(client)
    response = client.post("/employer/login", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/employer/"
    units = text(client.get("/employer/"))
    assert "133397421" in units and cast.unit.name in units
    assert "投保單位管理者(全部權限)" in units
    assert "120000000" not in units  # another unit's administrator's


def test_a_clerk_sees_his_rights_per_unit(cast: Cast) -> None:
    page = text(employer_login(cast.upload_only).get("/employer/"))
    assert "133397421" in page
    assert "健保卡註冊上傳" in page and "健保卡註冊查詢" not in page


def test_a_clerks_rights_are_listed_in_the_pages_language(cast: Cast) -> None:
    client = employer_login(cast.clerk)
    assert "健保卡註冊上傳、健保卡註冊查詢" in text(client.get("/employer/"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(client.get("/employer/"))
    assert "NHI card registration upload, NHI card registration query" in page
    assert "、" not in page


def test_a_wrong_password_is_refused(cast: Cast) -> None:
    client = Client()
    cast.admin.prove(client)
    response = client.post("/employer/login", {"password": "Wrong!pass1"})
    assert response.status_code == 200
    assert "登入失敗：註冊密碼錯誤，或此健保卡尚未註冊。" in text(response)
    assert client.get("/employer/").status_code == 302


def test_an_unregistered_card_gets_the_same_answer(db: None) -> None:
    client = Client()
    make_signed_card().prove(client)
    response = client.post("/employer/login", {"password": PASSWORD})
    assert "登入失敗：註冊密碼錯誤，或此健保卡尚未註冊。" in text(response)


def test_login_needs_a_proven_card(cast: Cast) -> None:
    response = Client().post("/employer/login", {"password": PASSWORD})
    assert "健保卡尚未讀取，請插入健保卡後再按「登入」。" in text(response)


def test_after_login_the_page_asked_for_opens(cast: Cast) -> None:
    client = Client()
    first = client.get("/employer/133397421/upload")
    assert first.status_code == 302
    assert first["Location"] == "/employer/login?next=/employer/133397421/upload"
    login_page = client.get(first["Location"]).content.decode()
    assert 'name="next" value="/employer/133397421/upload"' in login_page
    cast.clerk.prove(client)
    response = client.post(
        "/employer/login", {"password": PASSWORD, "next": "/employer/133397421/upload"}
    )
    assert response["Location"] == "/employer/133397421/upload"


def test_login_never_redirects_outside_the_portal(cast: Cast) -> None:
    client = Client()
    cast.clerk.prove(client)
    response = client.post(
        "/employer/login", {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/employer/"


def test_someone_without_a_unit_is_told_whom_to_ask(cast: Cast) -> None:
    page = text(employer_login(cast.outsider).get("/employer/"))
    assert "您目前沒有可辦理的投保單位" in page
    assert "請洽貴單位的投保單位管理者" in page


def test_the_menu_follows_the_rights(cast: Cast) -> None:
    menus = {
        "admin": text(employer_login(cast.admin).get("/employer/133397421/")),
        "upload": text(employer_login(cast.upload_only).get("/employer/133397421/")),
        "query": text(employer_login(cast.query_only).get("/employer/133397421/")),
    }
    for menu in menus.values():
        assert "投保單位代號 133397421" in menu and cast.unit.name in menu
    assert "健保卡註冊申請整批資料上傳" in menus["admin"]
    assert "健保卡註冊申請上傳紀錄查詢" in menus["admin"]
    assert "角色管理" in menus["admin"]
    assert "健保卡註冊申請整批資料上傳" in menus["upload"]
    assert "健保卡註冊申請上傳紀錄查詢" not in menus["upload"]
    assert "角色管理" not in menus["upload"]
    assert "健保卡註冊申請整批資料上傳" not in menus["query"]
    assert "健保卡註冊申請上傳紀錄查詢" in menus["query"]


def test_another_unit_and_an_unknown_unit_look_the_same(cast: Cast) -> None:
    client = employer_login(cast.other_admin)
    assert client.get("/employer/120000000/").status_code == 200
    assert client.get("/employer/133397421/").status_code == 404
    assert client.get("/employer/999999999/").status_code == 404
    assert client.get("/employer/133397421/upload").status_code == 404


def test_every_page_sends_an_anonymous_visitor_to_the_employer_login(cast: Cast) -> None:
    for url in urls(cast):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/employer/login?next="), url


def test_every_page_refuses_a_passkey_session(cast: Cast) -> None:
    client = employer_login(cast.admin)
    turn_into_passkey_session(
        client, Account.objects.get(national_id=cast.admin.person.national_id)
    )
    for url in urls(cast):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "需以健保卡登入" in text(response), url


def test_a_revoked_clerk_is_refused_on_his_next_request(cast: Cast) -> None:
    client = employer_login(cast.clerk)
    assert client.get("/employer/133397421/upload").status_code == 200
    RoleGrant.objects.filter(national_id=cast.clerk.person.national_id).delete()
    assert client.get("/employer/133397421/upload").status_code == 404
    assert "您目前沒有可辦理的投保單位" in text(client.get("/employer/"))


def test_a_missing_right_is_a_403_that_names_it(cast: Cast) -> None:
    response = employer_login(cast.query_only).get("/employer/133397421/upload")
    assert response.status_code == 403
    assert "您在這個投保單位沒有「健保卡註冊上傳」權限" in text(response)


def test_an_active_card_login_skips_the_login_page(cast: Cast) -> None:
    client = employer_login(cast.clerk)
    response = client.get("/employer/login")
    assert response.status_code == 302 and response["Location"] == "/employer/"


def test_every_page_renders_in_english_too(cast: Cast) -> None:
    client = employer_login(cast.admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    pages = [url for url in urls(cast) if not url.endswith(("/log", "/results.csv"))]
    for url in [*pages, "/employer/login"]:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        if response["Content-Type"].startswith("text/html") and response.status_code == 200:
            assert '<html lang="en">' in response.content.decode(), url
