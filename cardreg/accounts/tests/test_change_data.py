"""帳號資料異動: a recent card check, phones at once, a new primary e-mail after its own link."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cardreg.accounts.middleware import LOGIN_AT
from cardreg.accounts.models import Account, EmailToken, TokenPurpose
from cardreg.accounts.tests.conftest import active_account, login, mailed_token
from cardreg.accounts.tests.test_forgot import forgot, reset
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.mail.models import OutboxMessage

PAGE = "/account/services/change-data"
CURRENT = {
    "phone_area": "",
    "phone_number": "",
    "phone_ext": "",
    "mobile": "0912345678",
    "email": "wang@example.tw",
    "email_backup": "",
}


def logged_in(card: SignedCard, minutes_ago: int = 0) -> Client:
    client = Client()
    assert login(client, card).status_code == 302
    if minutes_ago:
        session = client.session
        session[LOGIN_AT] = (timezone.now() - dt.timedelta(minutes=minutes_ago)).isoformat()
        session.save()
    return client


def submit(client: Client, **changes: str) -> Any:
    return client.post(PAGE, {**CURRENT, **changes}, follow=True)


def confirm_change(token: str) -> Any:
    client = Client()
    assert client.get("/account/confirm-email").status_code == 200
    return client.post("/account/confirm-email", {"token": token})


def test_the_form_shows_the_current_data(applicant: SignedCard) -> None:
    account = active_account(applicant)
    account.phone = "02-23456789#123"
    account.save()
    page = logged_in(applicant).get(PAGE).content.decode()
    for value in ('value="02"', 'value="23456789"', 'value="123"', 'value="0912345678"'):
        assert value in page


def test_phones_change_at_once_and_the_holder_is_told(applicant: SignedCard) -> None:
    active_account(applicant)
    client = logged_in(applicant)
    response = submit(client, mobile="0987654321", phone_area="02", phone_number="23456789")
    assert "聯絡資料已更新" in response.content.decode()
    account = Account.objects.get()
    assert (account.mobile, account.phone) == ("0987654321", "02-23456789")
    notice = OutboxMessage.objects.get(template="contact_changed")
    assert notice.recipient == "wang@example.tw"
    assert "行動電話" in notice.text_body and "聯絡電話" in notice.text_body
    assert "0987654321" not in notice.text_body
    event = AuditEvent.objects.get(action="account.contact_changed")
    assert event.detail["fields"] == ["phone", "mobile"]


def test_a_new_primary_email_takes_effect_only_after_its_link(applicant: SignedCard) -> None:
    active_account(applicant)
    client = logged_in(applicant)
    response = submit(client, email="lin@example.org")
    assert "確認信已寄到新的主要E-Mail" in response.content.decode()
    account = Account.objects.get()
    assert (account.email, account.email_pending) == ("wang@example.tw", "lin@example.org")
    assert "lin@example.org 尚待認證" in client.get(PAGE).content.decode()
    # The old address hears of it, without the new address in full.
    notice = OutboxMessage.objects.get(template="email_change_requested")
    assert notice.recipient == "wang@example.tw"
    assert "li***@example.org" in notice.text_body
    assert "lin@example.org" not in notice.text_body
    # Until the link is opened, mail still goes to the old address.
    forgot(applicant)
    assert OutboxMessage.objects.get(template="password_reset").recipient == "wang@example.tw"

    token = mailed_token("/account/confirm-email", to="lin@example.org")
    assert "主要E-Mail已變更" in confirm_change(token).content.decode()
    account.refresh_from_db()
    assert (account.email, account.email_pending) == ("lin@example.org", "")
    assert AuditEvent.objects.filter(action="account.email_changed").exists()
    # A reset link sent to the old address stops working.
    assert (
        "已被較新的一封信取代" in reset(applicant, mailed_token("/account/reset")).content.decode()
    )


def test_a_used_email_link_says_it_is_done(applicant: SignedCard) -> None:
    active_account(applicant)
    submit(logged_in(applicant), email="lin@example.org")
    token = mailed_token("/account/confirm-email")
    confirm_change(token)
    assert "已經使用過" in confirm_change(token).content.decode()


def test_only_the_newest_email_link_works(applicant: SignedCard) -> None:
    active_account(applicant)
    client = logged_in(applicant)
    submit(client, email="first@example.org")
    first = mailed_token("/account/confirm-email")
    submit(client, email="second@example.org")
    second = mailed_token("/account/confirm-email")
    assert "已被較新的一封信取代" in confirm_change(first).content.decode()
    assert Account.objects.get().email == "wang@example.tw"
    confirm_change(second)
    assert Account.objects.get().email == "second@example.org"


def test_an_expired_or_unknown_email_link_is_refused(applicant: SignedCard) -> None:
    active_account(applicant)
    submit(logged_in(applicant), email="lin@example.org")
    EmailToken.objects.filter(purpose=TokenPurpose.CHANGE_EMAIL).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    content = confirm_change(mailed_token("/account/confirm-email")).content.decode()
    assert "已超過 5 天有效期限" in content
    assert "此E-Mail變更連結無效" in confirm_change("x" * 43).content.decode()
    assert Account.objects.get().email == "wang@example.tw"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "E-Mail格式不正確"),
        ({"email_backup": "WANG@example.tw"}, "備用E-Mail不可與主要E-Mail相同"),
        ({"mobile": "0212345678"}, "手機號碼應為09開頭的10位數字"),
        ({"mobile": ""}, "此欄必填"),
        ({"phone_number": "23456789"}, "請在市話號碼前加上區碼"),
    ],
)
def test_the_registration_forms_checks_apply(
    applicant: SignedCard, changes: dict[str, str], message: str
) -> None:
    active_account(applicant)
    response = submit(logged_in(applicant), **changes)
    assert message in response.content.decode()
    account = Account.objects.get()
    assert (account.mobile, account.email, account.email_pending) == (
        "0912345678",
        "wang@example.tw",
        "",
    )
    assert OutboxMessage.objects.count() == 0


def test_nothing_changed_says_so(applicant: SignedCard) -> None:
    active_account(applicant)
    response = submit(logged_in(applicant), email="Wang@Example.tw")
    assert "資料沒有變更" in response.content.decode()
    assert OutboxMessage.objects.count() == 0


def test_a_stale_login_must_read_the_card_again(applicant: SignedCard) -> None:
    active_account(applicant)
    client = logged_in(applicant, minutes_ago=16)
    page = client.get(PAGE).content.decode()
    assert "變更帳號資料前請再讀取一次健保卡" in page
    assert 'name="mobile"' not in page
    submit(client, mobile="0987654321")
    assert Account.objects.get().mobile == "0912345678"

    applicant.prove(client)
    response = client.post(f"{PAGE}/card")
    assert response["Location"] == PAGE
    submit(client, mobile="0987654321")
    assert Account.objects.get().mobile == "0987654321"


def test_a_recent_login_needs_no_card_read(applicant: SignedCard) -> None:
    active_account(applicant)
    assert 'name="mobile"' in logged_in(applicant, minutes_ago=14).get(PAGE).content.decode()


def test_the_card_read_again_must_be_the_holders(applicant: SignedCard) -> None:
    active_account(applicant)
    client = logged_in(applicant, minutes_ago=16)
    make_signed_card().prove(client)
    response = client.post(f"{PAGE}/card")
    assert "不是您本人的健保卡" in response.content.decode()
    assert 'name="mobile"' not in client.get(PAGE).content.decode()


def test_the_card_read_again_also_grows_old(applicant: SignedCard) -> None:
    active_account(applicant)
    client = logged_in(applicant, minutes_ago=40)
    applicant.prove(client)
    client.post(f"{PAGE}/card")
    session = client.session
    session["card_checked_at"] = (timezone.now() - dt.timedelta(minutes=16)).isoformat()
    session.save()
    assert 'name="mobile"' not in client.get(PAGE).content.decode()


def test_a_passkey_session_may_not_change_data(applicant: SignedCard) -> None:
    from cardreg.devices.testing import turn_into_passkey_session

    account = active_account(applicant)
    client = logged_in(applicant)
    turn_into_passkey_session(client, account)
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}/card").status_code == 403


def test_changing_data_needs_a_login(db: None) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login")
