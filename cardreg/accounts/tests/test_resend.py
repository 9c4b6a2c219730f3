"""重寄確認信: the card, then a new link (the old one stops); without a pending application (none,
void and deleted, or registered) one honest answer that no mail went."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from cardreg.accounts.models import Account, AccountStatus, EmailToken
from cardreg.accounts.tests.conftest import (
    HOUSEHOLD,
    active_account,
    add_household,
    mailed_token,
    register,
    visible,
)
from cardreg.accounts.tests.test_confirm import confirm
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.mail.models import OutboxMessage

NOTHING_SENT = "沒有寄出任何信件"
APPLY_AGAIN = "如您的申請已超過期限或查無申請，請重新申請"


def resend(
    card: SignedCard,
    client: Client | None = None,
    email: str = "",
    household: dict[str, str] | None = None,
) -> Any:
    """重寄確認信; a corrected ``email`` goes with the ``household`` fields a user types."""
    client = client or Client()
    assert client.get("/account/resend").status_code == 200
    card.prove(client)
    return client.post("/account/resend", {"email": email, **(household or {})})


def test_a_new_link_is_mailed_and_the_old_one_stops_working(applicant: SignedCard) -> None:
    register(Client(), applicant)
    old = mailed_token("/account/confirm")
    response = resend(applicant)
    assert "新的確認信已寄出" in response.content.decode()
    new = mailed_token("/account/confirm")
    assert new != old
    assert OutboxMessage.objects.filter(template="registration_confirm").count() == 2
    assert "已被較新的確認信取代" in confirm(applicant, old).content.decode()
    assert "電子信箱認證成功" in confirm(applicant, new).content.decode()
    assert AuditEvent.objects.filter(action="account.confirmation_resent").exists()


def test_an_expired_application_gets_a_working_link(applicant: SignedCard) -> None:
    register(Client(), applicant)
    EmailToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    resend(applicant)
    assert (
        "電子信箱認證成功" in confirm(applicant, mailed_token("/account/confirm")).content.decode()
    )


def test_a_corrected_address_gets_the_link_and_the_old_one_is_told(applicant: SignedCard) -> None:
    register(Client(), applicant)  # to wang@example.tw
    resend(applicant, email="lin.new@example.tw", household=HOUSEHOLD)
    assert Account.objects.get().email == "lin.new@example.tw"
    token = mailed_token("/account/confirm", to="lin.new@example.tw")
    notice = OutboxMessage.objects.get(template="email_change_requested")
    assert notice.recipient == "wang@example.tw"
    assert "li***@example.tw" in notice.text_body
    assert "lin.new@" not in notice.text_body
    assert applicant.person.name not in notice.text_body  # the old address may be a stranger's
    assert "電子信箱認證成功" in confirm(applicant, token).content.decode()


def test_a_bad_corrected_address_is_explained_and_nothing_is_sent(applicant: SignedCard) -> None:
    register(Client(), applicant)
    response = resend(applicant, email="not-an-address")
    assert "E-Mail格式不正確" in response.content.decode()
    assert OutboxMessage.objects.count() == 1  # only the registration's


def test_resending_needs_the_card(applicant: SignedCard) -> None:
    register(Client(), applicant)
    response = Client().post("/account/resend", {"email": ""})
    assert (
        "健保卡尚未讀取，請插入健保卡後再按「讀取健保卡並重寄確認信」。"
        in response.content.decode()
    )
    assert OutboxMessage.objects.count() == 1


def test_without_a_pending_application_one_honest_answer_for_every_card(
    applicant: SignedCard,
) -> None:
    registered = make_signed_card()
    active_account(registered)
    add_household(registered)
    active = resend(registered, email="someone@example.tw", household=HOUSEHOLD)
    nobody = resend(applicant, email="someone@example.tw", household=HOUSEHOLD)
    assert active.status_code == nobody.status_code == 200
    assert visible(active) == visible(nobody)
    for text in (NOTHING_SENT, APPLY_AGAIN, "如您已完成註冊，請直接登入"):
        assert text in visible(nobody)
    assert "已寄出" not in visible(nobody)
    assert not OutboxMessage.objects.exists()
    # The active account's address stays as it was.
    assert Account.objects.get(person=registered.person).email == "wang@example.tw"
    assert Account.objects.get(person=registered.person).status == AccountStatus.ACTIVE


def test_resends_are_limited_per_card(applicant: SignedCard, settings: Any) -> None:
    settings.CARDREG_MAIL_REQUESTS_PER_CARD_DAY = 2
    register(Client(), applicant)
    for _ in range(2):
        assert "新的確認信已寄出" in resend(applicant).content.decode()
    response = resend(applicant)
    assert "今天要求寄信的次數已達上限" in response.content.decode()
    assert OutboxMessage.objects.filter(template="registration_confirm").count() == 3
    # Another card from the same address is not held back by this one.
    assert NOTHING_SENT in resend(make_signed_card()).content.decode()


def test_a_card_without_an_application_counts_against_the_limit_too(
    applicant: SignedCard, settings: Any
) -> None:
    settings.CARDREG_MAIL_REQUESTS_PER_CARD_DAY = 1
    assert NOTHING_SENT in resend(applicant).content.decode()
    assert "今天要求寄信的次數已達上限" in resend(applicant).content.decode()


def test_resends_are_limited_per_address(applicant: SignedCard, settings: Any) -> None:
    settings.CARDREG_MAIL_REQUESTS_PER_IP_HOUR = 1
    register(Client(), applicant)
    assert NOTHING_SENT in resend(make_signed_card()).content.decode()
    response = resend(applicant)
    assert "此網路位址要求寄信的次數太多" in response.content.decode()
    assert OutboxMessage.objects.filter(template="registration_confirm").count() == 1
