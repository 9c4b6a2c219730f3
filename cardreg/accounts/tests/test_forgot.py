"""忘記註冊密碼: the card → a link to the registered address → the card again + a new password."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from cardreg.accounts.models import Account, EmailToken, Throttle, TokenPurpose
from cardreg.accounts.tests.conftest import (
    GOOD_DETAILS,
    active_account,
    login,
    mailed_token,
    register,
    visible,
)
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.mail.models import OutboxMessage

OLD = GOOD_DETAILS["password"]
NEW = "New!pass2026"


def forgot(card: SignedCard, client: Client | None = None) -> Any:
    client = client or Client()
    assert client.get("/account/forgot").status_code == 200
    card.prove(client)
    return client.post("/account/forgot")


def reset(card: SignedCard, token: str, password: str = NEW, client: Client | None = None) -> Any:
    client = client or Client()
    assert client.get("/account/reset").status_code == 200
    card.prove(client)
    return client.post(
        "/account/reset", {"token": token, "password": password, "password_confirm": password}
    )


def test_an_active_account_is_mailed_a_reset_link(applicant: SignedCard) -> None:
    active_account(applicant)
    response = forgot(applicant)
    assert "重設註冊密碼的連結已寄到您註冊時填寫的主要E-Mail" in response.content.decode()
    mail = OutboxMessage.objects.get(template="password_reset")
    assert mail.recipient == "wang@example.tw"
    assert "/account/reset#" in mail.text_body
    assert applicant.person.national_id not in mail.text_body
    row = EmailToken.objects.get(purpose=TokenPurpose.RESET_PASSWORD)
    assert row.expires_at - row.created_at == dt.timedelta(hours=24)
    assert AuditEvent.objects.filter(action="account.password_reset_requested").exists()


def test_the_answer_is_the_same_for_active_pending_and_unknown_cards(
    applicant: SignedCard,
) -> None:
    register(Client(), applicant)  # pending
    registered = make_signed_card()
    active_account(registered)
    pending = forgot(applicant)
    active = forgot(registered)
    nobody = forgot(make_signed_card())
    assert pending.status_code == active.status_code == nobody.status_code == 200
    assert visible(pending) == visible(active) == visible(nobody)
    assert "如您尚未完成電子信箱認證，請使用「重寄確認信」" in visible(nobody)
    assert OutboxMessage.objects.filter(template="password_reset").count() == 1


def test_the_holders_card_and_a_new_password_reset_it(applicant: SignedCard) -> None:
    active_account(applicant)
    forgot(applicant)
    client = Client()
    response = reset(applicant, mailed_token("/account/reset"), client=client)
    assert "註冊密碼已重設" in response.content.decode()
    account = Account.objects.get()
    assert account.check_password(NEW)
    assert not account.check_password(OLD)
    assert "_auth_user_id" not in client.session  # not logged in by the link
    notice = OutboxMessage.objects.get(template="password_changed")
    assert notice.recipient == "wang@example.tw"
    assert "忘記註冊密碼" in notice.text_body
    assert login(Client(), applicant, NEW).status_code == 302
    assert "登入失敗" in login(Client(), applicant, OLD).content.decode()


def test_every_session_of_the_account_ends(applicant: SignedCard) -> None:
    active_account(applicant)
    elsewhere = Client()
    login(elsewhere, applicant, OLD)
    assert elsewhere.get("/account/services").status_code == 200
    forgot(applicant)
    reset(applicant, mailed_token("/account/reset"))
    response = elsewhere.get("/account/services")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login")


def test_another_card_cannot_use_the_link(applicant: SignedCard) -> None:
    active_account(applicant)
    forgot(applicant)
    token = mailed_token("/account/reset")
    response = reset(make_signed_card(), token)
    assert "不是這個帳號持有人的健保卡" in response.content.decode()
    assert Account.objects.get().check_password(OLD)
    # The attempt is on file although the refused change was rolled back.
    assert AuditEvent.objects.filter(action="account.reset_wrong_card").count() == 1
    # The holder can still use the link.
    assert "註冊密碼已重設" in reset(applicant, token).content.decode()


def test_resetting_needs_the_card(applicant: SignedCard) -> None:
    active_account(applicant)
    forgot(applicant)
    token = mailed_token("/account/reset")
    response = Client().post(
        "/account/reset", {"token": token, "password": NEW, "password_confirm": NEW}
    )
    assert (
        "健保卡尚未讀取，請插入健保卡後再按「讀取健保卡並重設密碼」。" in response.content.decode()
    )
    assert Account.objects.get().check_password(OLD)


def test_the_new_password_follows_the_policy(applicant: SignedCard) -> None:
    active_account(applicant)
    forgot(applicant)
    token = mailed_token("/account/reset")
    assert "這個密碼太常見" in reset(applicant, token, "password1").content.decode()
    own_id = f"x{applicant.person.national_id}"
    assert "不可包含您的身分證號" in reset(applicant, token, own_id).content.decode()
    client = Client()
    applicant.prove(client)
    response = client.post(
        "/account/reset", {"token": token, "password": NEW, "password_confirm": "Other!2026x"}
    )
    assert "兩次輸入的註冊密碼不一致" in response.content.decode()
    assert Account.objects.get().check_password(OLD)


def test_a_used_link_points_to_forgot_again(applicant: SignedCard) -> None:
    active_account(applicant)
    forgot(applicant)
    token = mailed_token("/account/reset")
    reset(applicant, token)
    response = reset(applicant, token, "Third!pass2026")
    content = response.content.decode()
    assert "此重設密碼連結已經使用過" in content
    assert 'href="/account/forgot"' in content
    assert Account.objects.get().check_password(NEW)


def test_an_expired_link_points_to_forgot_again(applicant: SignedCard) -> None:
    active_account(applicant)
    forgot(applicant)
    EmailToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    content = reset(applicant, mailed_token("/account/reset")).content.decode()
    assert "已超過有效期限(24 小時)" in content
    assert 'href="/account/forgot"' in content
    assert Account.objects.get().check_password(OLD)


def test_only_the_newest_link_works(applicant: SignedCard) -> None:
    active_account(applicant)
    forgot(applicant)
    old = mailed_token("/account/reset")
    forgot(applicant)
    new = mailed_token("/account/reset")
    assert "已被較新的一封信取代" in reset(applicant, old).content.decode()
    assert "註冊密碼已重設" in reset(applicant, new).content.decode()


def test_an_unknown_link_is_refused(applicant: SignedCard) -> None:
    active_account(applicant)
    assert "此重設密碼連結無效" in reset(applicant, "x" * 43).content.decode()


def test_a_confirmation_token_is_no_reset_token(applicant: SignedCard) -> None:
    register(Client(), applicant)
    token = mailed_token("/account/confirm")
    assert "此重設密碼連結無效" in reset(applicant, token).content.decode()


def test_reset_requests_are_limited_per_card(applicant: SignedCard, settings: Any) -> None:
    settings.CARDREG_MAIL_REQUESTS_PER_CARD_DAY = 1
    active_account(applicant)
    forgot(applicant)
    assert "今天要求寄信的次數已達上限" in forgot(applicant).content.decode()
    assert OutboxMessage.objects.filter(template="password_reset").count() == 1


def test_a_reset_clears_the_holders_login_delay(applicant: SignedCard) -> None:
    active_account(applicant)
    login(Client(), applicant, "Wrong!pass1")
    Throttle.objects.filter(scope="login-person").update(
        blocked_until=timezone.now() + dt.timedelta(hours=1)
    )
    assert "秒後再試" in login(Client(), applicant, OLD).content.decode()
    forgot(applicant)
    reset(applicant, mailed_token("/account/reset"))
    assert login(Client(), applicant, NEW).status_code == 302
