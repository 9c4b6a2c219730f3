"""健保卡註冊認證作業: an employer-made account, its mailed link, the holder's card and his own
password; 重寄認證信; the login answer before that."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cardreg.accounts.models import Account, AccountOrigin, AccountStatus, EmailToken, TokenPurpose
from cardreg.accounts.tests.conftest import HOUSEHOLD, add_household, login, mailed_token, visible
from cardreg.accounts.tests.test_confirm import confirm
from cardreg.accounts.tests.test_resend import resend
from cardreg.accounts.tokens import issue_token
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.employers import processing
from cardreg.employers.models import InsuranceUnit
from cardreg.employers.testing import add_roster, csv_bytes, submitted_batch
from cardreg.mail.models import OutboxMessage

PASSWORD = "Tw!2026strong"


def employer_account(card: SignedCard, email: str = "lin@example.tw") -> tuple[Account, str]:
    """What a batch upload makes for ``card``'s holder: a pending account without a password,
    and the link token of its mail."""
    account = Account.objects.create(
        person=card.person,
        national_id=card.person.national_id,
        password="!",  # as processing writes it
        mobile="0912345678",
        email=email,
        origin=AccountOrigin.EMPLOYER,
    )
    token = issue_token(account, TokenPurpose.ACTIVATE, lifetime=dt.timedelta(days=5))
    return account, token


def activate(
    card: SignedCard,
    token: str,
    password: str = PASSWORD,
    confirm_with: str | None = None,
    client: Client | None = None,
) -> Any:
    client = client or Client()
    assert client.get("/account/activate").status_code == 200
    card.prove(client)
    return client.post(
        "/account/activate",
        {"token": token, "password": password, "password_confirm": confirm_with or password},
    )


def link_in(mail: OutboxMessage, path: str = "/account/activate") -> str:
    match = re.search(rf"{re.escape(path)}#([A-Za-z0-9_-]+)", mail.text)
    assert match, mail.text
    return match.group(1)


@pytest.fixture
def registrant(db: None) -> SignedCard:
    return make_signed_card(name="林堃喆")


def test_the_batch_mails_link_the_card_and_a_password_activate_the_account(
    registrant: SignedCard,
) -> None:
    unit = InsuranceUnit.objects.create(code="133397421", name="測試公司")
    national_id = registrant.person.national_id
    add_roster(unit.code, [national_id])
    submitted_batch(unit, csv_bytes([(national_id, "lin@example.tw", "0912345678", "")]))
    processing.process_next()
    mail = OutboxMessage.objects.get(template="batch_registration", recipient="lin@example.tw")
    client = Client()

    response = activate(registrant, link_in(mail), client=client)

    content = response.content.decode()
    assert "認證完成" in content
    assert 'href="/"' in content  # the way to the login page
    assert "_auth_user_id" not in client.session  # no login by the link
    account = Account.objects.get()
    assert (account.status, account.origin) == (AccountStatus.ACTIVE, AccountOrigin.EMPLOYER)
    assert account.activated_at is not None
    assert account.check_password(PASSWORD)
    assert EmailToken.objects.get().used_at is not None
    notice = OutboxMessage.objects.get(template="registration_complete")
    assert notice.recipient == "lin@example.tw"
    event = AuditEvent.objects.get(action="account.activated")
    assert event.actor == f"{national_id[:6]}****"
    assert login(Client(), registrant, PASSWORD).status_code == 302


def test_a_get_of_the_link_changes_nothing(registrant: SignedCard) -> None:
    employer_account(registrant)
    content = Client().get("/account/activate").content.decode()
    assert "請自行設定註冊密碼" in content
    assert "健保卡註冊認證作業" in content
    assert Account.objects.get().status == AccountStatus.PENDING


def test_another_card_is_refused_audited_and_changes_nothing(registrant: SignedCard) -> None:
    _, token = employer_account(registrant)
    stranger = make_signed_card()
    response = activate(stranger, token)
    assert "插入的健保卡與投保單位為其申請註冊的人不符" in response.content.decode()
    account = Account.objects.get()
    assert account.status == AccountStatus.PENDING
    assert not account.has_usable_password()
    assert EmailToken.objects.get().used_at is None
    assert not OutboxMessage.objects.exists()
    event = AuditEvent.objects.get(action="account.activate_wrong_card")
    assert event.actor == f"{stranger.person.national_id[:6]}****"
    assert event.subject == f"{registrant.person.national_id[:6]}****"
    # The holder can still use the link.
    assert "認證完成" in activate(registrant, token).content.decode()


def test_activating_needs_the_card(registrant: SignedCard) -> None:
    _, token = employer_account(registrant)
    response = Client().post(
        "/account/activate", {"token": token, "password": PASSWORD, "password_confirm": PASSWORD}
    )
    assert (
        "健保卡尚未讀取，請插入健保卡後再按「讀取健保卡並完成認證」。" in response.content.decode()
    )
    assert Account.objects.get().status == AccountStatus.PENDING


def test_the_password_follows_the_registration_policy(registrant: SignedCard) -> None:
    _, token = employer_account(registrant)
    assert "這個密碼太常見" in activate(registrant, token, "password1").content.decode()
    own_id = f"x{registrant.person.national_id}"
    assert "不可包含您的身分證號" in activate(registrant, token, own_id).content.decode()
    assert (
        "不可包含您的健保卡號"
        in activate(registrant, token, f"x{registrant.number}").content.decode()
    )
    mismatch = activate(registrant, token, PASSWORD, confirm_with="Other!2026x")
    assert "兩次輸入的註冊密碼不一致" in mismatch.content.decode()
    short = activate(registrant, token, "a1!").content.decode()
    assert "註冊密碼太短" in short
    assert "註冊密碼長度必須6-" in short  # the policy notice and the strength meter stay
    assert 'id="strength"' in short
    account = Account.objects.get()
    assert account.status == AccountStatus.PENDING
    assert not account.has_usable_password()


def test_a_used_link_sends_to_the_login_page(registrant: SignedCard) -> None:
    _, token = employer_account(registrant)
    activate(registrant, token)
    content = activate(registrant, token, "Third!pass2026").content.decode()
    assert "此帳號已經完成認證" in content
    assert "前往登入" in content
    assert Account.objects.get().check_password(PASSWORD)


def test_an_expired_link_points_to_resend(registrant: SignedCard) -> None:
    _, token = employer_account(registrant)
    EmailToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    content = activate(registrant, token).content.decode()
    assert "已超過 5 天有效期限" in content
    assert 'href="/account/resend"' in content
    assert "重寄認證信" in content
    account = Account.objects.get()
    assert account.status == AccountStatus.PENDING
    assert not account.has_usable_password()


def test_a_superseded_link_points_to_the_newest_mail(registrant: SignedCard) -> None:
    _, old = employer_account(registrant)
    resend(registrant)
    content = activate(registrant, old).content.decode()
    assert "已被較新的認證信取代" in content
    assert Account.objects.get().status == AccountStatus.PENDING


def test_an_unknown_link_is_refused(registrant: SignedCard) -> None:
    employer_account(registrant)
    assert "此認證連結無效" in activate(registrant, "x" * 43).content.decode()


def test_a_confirmation_link_never_activates_an_account_without_password(
    registrant: SignedCard,
) -> None:
    account, _ = employer_account(registrant)
    token = issue_token(account, TokenPurpose.CONFIRM_EMAIL, lifetime=dt.timedelta(days=5))
    assert "此認證連結無效" in confirm(registrant, token).content.decode()
    assert Account.objects.get().status == AccountStatus.PENDING


# --- login before 認證 -----------------------------------------------------------------------


def test_a_pending_employer_account_is_told_to_activate_whatever_the_password(
    registrant: SignedCard,
) -> None:
    employer_account(registrant)
    for password in (PASSWORD, "", "!"):
        content = visible(login(Client(), registrant, password))
        assert "尚未完成認證" in content
        assert "重寄確認信/認證信" in content
        assert "註冊密碼錯誤" not in content
    assert not AuditEvent.objects.filter(action="account.login_failed").exists()


# --- 重寄認證信 --------------------------------------------------------------------------------


def test_resend_mails_an_employer_account_a_new_activation_link(registrant: SignedCard) -> None:
    _, old = employer_account(registrant)
    resend(registrant)
    mail = OutboxMessage.objects.get()
    assert (mail.template, mail.recipient) == ("activation_link", "lin@example.tw")
    assert mail.subject == "健保卡網路服務-認證信"
    assert "5 日內" in mail.text
    assert "晶片讀卡機" in mail.text
    assert registrant.person.national_id not in mail.text
    new = link_in(mail)
    assert new != old
    assert EmailToken.objects.filter(purpose=TokenPurpose.CONFIRM_EMAIL).count() == 0
    assert "已被較新的認證信取代" in activate(registrant, old).content.decode()
    assert "認證完成" in activate(registrant, new).content.decode()


def test_resend_corrects_the_address_of_an_employer_account(registrant: SignedCard) -> None:
    employer_account(registrant, email="wrong@example.tw")
    add_household(registrant)
    resend(registrant, email="lin.new@example.tw", household=HOUSEHOLD)
    assert Account.objects.get().email == "lin.new@example.tw"
    token = mailed_token("/account/activate", to="lin.new@example.tw")
    assert OutboxMessage.objects.get(template="email_change_requested").recipient == (
        "wrong@example.tw"
    )
    assert "認證完成" in activate(registrant, token).content.decode()
