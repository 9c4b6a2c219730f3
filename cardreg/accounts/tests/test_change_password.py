"""註冊密碼變更: after a card login; current password, new one twice; other sessions end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from cardreg.accounts.models import Account, Throttle
from cardreg.accounts.tests.conftest import GOOD_DETAILS, active_account, login, mailed_token
from cardreg.accounts.tests.test_forgot import forgot, reset
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard
from cardreg.mail.models import OutboxMessage
from cardreg.portal.testing import input_tag, summary_links

OLD = GOOD_DETAILS["password"]
NEW = "New!pass2026"


def change(client: Client, current: str = OLD, new: str = NEW, confirm: str | None = None) -> Any:
    return client.post(
        "/account/services/change-password",
        {"current_password": current, "password": new, "password_confirm": confirm or new},
    )


def logged_in(card: SignedCard) -> Client:
    client = Client()
    assert login(client, card, OLD).status_code == 302
    return client


def test_the_page_asks_for_the_current_password_and_shows_the_meter(
    applicant: SignedCard,
) -> None:
    active_account(applicant)
    page = logged_in(applicant).get("/account/services/change-password").content.decode()
    assert 'name="current_password"' in page
    assert 'id="strength"' in page
    assert "註冊密碼長度必須6-64碼" in page


def test_the_password_changes_and_this_session_stays(applicant: SignedCard) -> None:
    active_account(applicant)
    client = logged_in(applicant)
    key = client.session.session_key
    response = change(client)
    assert response["Location"] == "/account/services"
    assert "註冊密碼已變更" in client.get(response["Location"]).content.decode()
    assert client.session.session_key != key  # a new key with the new password
    assert client.get("/account/services").status_code == 200
    account = Account.objects.get()
    assert account.check_password(NEW)
    notice = OutboxMessage.objects.get(template="password_changed")
    assert "註冊密碼變更" in notice.text_body
    assert AuditEvent.objects.filter(action="account.password_changed").exists()


def test_other_sessions_end(applicant: SignedCard) -> None:
    active_account(applicant)
    client, elsewhere = logged_in(applicant), logged_in(applicant)
    change(client)
    assert elsewhere.get("/account/services").status_code == 302
    assert client.get("/account/services").status_code == 200


def test_a_wrong_current_password_counts_as_a_failed_login(
    applicant: SignedCard, settings: Any
) -> None:
    settings.CARDREG_LOGIN_FREE_FAILURES = 1
    active_account(applicant)
    client = logged_in(applicant)
    assert "目前的註冊密碼不正確" in change(client, current="Wrong!pass1").content.decode()
    change(client, current="Wrong!pass1")  # the second failure starts a delay
    row = Throttle.objects.get(scope="login-person")
    assert row.count == 2
    assert row.blocked_until is not None
    # However slow this machine, the delay is still running for the next two tries.
    Throttle.objects.update(blocked_until=timezone.now() + dt.timedelta(hours=1))
    assert "秒後再試" in change(client).content.decode()
    assert "秒後再試" in login(Client(), applicant, OLD).content.decode()
    assert Account.objects.get().check_password(OLD)
    assert AuditEvent.objects.filter(action="account.login_failed").count() == 2


def test_the_new_password_follows_the_policy(applicant: SignedCard) -> None:
    active_account(applicant)
    client = logged_in(applicant)
    assert "這個密碼太常見" in change(client, new="password1").content.decode()
    assert "兩次輸入的註冊密碼不一致" in change(client, confirm="Other!2026x").content.decode()
    assert "此欄必填" in change(client, current="").content.decode()
    assert Account.objects.get().check_password(OLD)


def test_the_current_password_is_never_sent_back(applicant: SignedCard) -> None:
    active_account(applicant)
    page = change(logged_in(applicant), new="abc").content.decode()
    assert "註冊密碼太短，至少需要 6 碼。" in page
    assert OLD not in page
    assert "value=" not in input_tag(page, "id_current_password")
    # The new password was the problem: both are to be typed again.
    assert 'value=""' in input_tag(page, "id_password")
    assert 'value=""' in input_tag(page, "id_password_confirm")
    assert Account.objects.get().check_password(OLD)


def test_a_wrong_current_password_is_named_with_a_refused_new_one(applicant: SignedCard) -> None:
    active_account(applicant)
    page = change(logged_in(applicant), current="Wrong!pass1", new="abc").content.decode()
    assert [anchor for anchor, _ in summary_links(page)] == ["id_current_password", "id_password"]
    assert "目前的註冊密碼不正確" in page
    assert "註冊密碼太短" in page
    # It counts as a failed login all the same, whatever the new password was.
    assert Throttle.objects.get(scope="login-person").count == 1
    assert AuditEvent.objects.filter(action="account.login_failed").count() == 1
    assert Account.objects.get().check_password(OLD)


def test_a_right_current_password_with_a_refused_new_one_is_no_failed_login(
    applicant: SignedCard,
) -> None:
    active_account(applicant)
    page = change(logged_in(applicant), new="abc").content.decode()
    assert [anchor for anchor, _ in summary_links(page)] == ["id_password"]
    assert not Throttle.objects.filter(scope="login-person", count__gt=0).exists()


def test_an_empty_post_names_the_missing_fields(applicant: SignedCard) -> None:
    active_account(applicant)
    page = logged_in(applicant).post("/account/services/change-password").content.decode()
    assert [anchor for anchor, _ in summary_links(page)] == [
        "id_current_password",
        "id_password",
        "id_password_confirm",
    ]


def test_reset_links_still_out_stop_working(applicant: SignedCard) -> None:
    active_account(applicant)
    forgot(applicant)
    token = mailed_token("/account/reset")
    change(logged_in(applicant))
    assert "已被較新的一封信取代" in reset(applicant, token).content.decode()
    assert Account.objects.get().check_password(NEW)


def test_a_passkey_session_may_not_change_the_password(applicant: SignedCard) -> None:
    from cardreg.devices.testing import turn_into_passkey_session

    account = active_account(applicant)
    client = logged_in(applicant)
    turn_into_passkey_session(client, account)
    response = change(client)
    assert response.status_code == 403
    assert "須以健保卡及註冊密碼登入" in response.content.decode()
    assert Account.objects.get().check_password(OLD)


def test_changing_needs_a_login(db: None) -> None:
    response = Client().get("/account/services/change-password")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login")
