"""The shared form-error markup of the accounts pages (portal/templatetags/form_errors.py): a
summary linking to each field, the field marked invalid and described by its own message, and
what was typed kept, the passwords unless they were the problem."""

from __future__ import annotations

from django.test import Client

from cardreg.accounts.tests.conftest import (
    GOOD_DETAILS,
    active_account,
    login,
    register,
)
from cardreg.cards.testing import SignedCard
from cardreg.portal.testing import input_tag, summary_links

NEW = "New!pass2026"


def test_the_summary_links_to_each_field_in_the_page_order(applicant: SignedCard) -> None:
    page = register(Client(), applicant, mobile="0212345678", email="", phone_area="2").content
    links = summary_links(page.decode())
    assert [anchor for anchor, _ in links] == ["id_phone_number", "id_mobile", "id_email"]
    assert links[2][1] == "主要E-Mail：此欄必填。"


def test_an_invalid_field_is_described_by_its_own_error(applicant: SignedCard) -> None:
    page = register(Client(), applicant, mobile="0212345678").content.decode()
    mobile = input_tag(page, "id_mobile")
    assert 'aria-describedby="mobile-hint id_mobile-error"' in mobile
    assert 'aria-invalid="true"' in mobile
    assert '<span class="field-error" id="id_mobile-error">手機號碼應為09開頭' in page
    assert "aria-invalid" not in input_tag(page, "id_email")
    assert 'aria-describedby="ms-warning"' in input_tag(page, "id_email")


def test_good_passwords_are_kept_when_another_field_is_wrong(applicant: SignedCard) -> None:
    page = register(Client(), applicant, email="wang@").content.decode()
    assert f'value="{GOOD_DETAILS["password"]}"' in input_tag(page, "id_password")
    assert f'value="{GOOD_DETAILS["password"]}"' in input_tag(page, "id_password_confirm")
    assert 'value="wang@"' in input_tag(page, "id_email")


def test_passwords_that_were_the_problem_are_typed_again(applicant: SignedCard) -> None:
    response = register(Client(), applicant, password_confirm="Tw!2026other")
    page = response.content.decode()
    assert 'value=""' in input_tag(page, "id_password")
    assert 'value=""' in input_tag(page, "id_password_confirm")
    assert 'aria-invalid="true"' in input_tag(page, "id_password_confirm")
    assert 'value="0912345678"' in input_tag(page, "id_mobile")


def test_login_keeps_the_password_unless_it_was_wrong(applicant: SignedCard) -> None:
    active_account(applicant)
    unproven = Client().post("/account/login", {"password": "Typed!2026"}).content.decode()
    assert 'value="Typed!2026"' in input_tag(unproven, "password")
    assert summary_links(unproven)[0][0] == "password"
    # A kept password must not stay in a shared computer's cache.
    assert (
        Client().post("/account/login", {"password": "Typed!2026"})["Cache-Control"] == "no-store"
    )
    wrong = login(Client(), applicant, password="Wrong!2026").content.decode()
    assert 'value=""' in input_tag(wrong, "password")
    assert "登入失敗" in summary_links(wrong)[0][1]


def test_a_wrong_current_password_is_marked_and_emptied(applicant: SignedCard) -> None:
    active_account(applicant)
    client = Client()
    login(client, applicant)
    data = {"current_password": "Wrong!2026", "password": NEW, "password_confirm": NEW}
    page = client.post("/account/services/change-password", data).content.decode()
    current = input_tag(page, "id_current_password")
    assert "value=" not in current and 'aria-invalid="true"' in current
    assert summary_links(page) == [
        ("id_current_password", "目前的註冊密碼：目前的註冊密碼不正確，請重新輸入。")
    ]
    assert f'value="{NEW}"' in input_tag(page, "id_password")


def test_the_new_password_is_named_as_such_beside_the_current_one(applicant: SignedCard) -> None:
    active_account(applicant)
    client = Client()
    login(client, applicant)
    data = {"current_password": "Wrong!2026", "password": "abc", "password_confirm": "abc"}
    page = client.post("/account/services/change-password", data).content.decode()
    assert [text.split("：")[0] for _, text in summary_links(page)] == [
        "目前的註冊密碼",
        "新的註冊密碼",
    ]
