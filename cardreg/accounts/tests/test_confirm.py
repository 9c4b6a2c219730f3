"""E-mail confirmation: the link's token, the applicant's card, then the account is active."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from cardreg.accounts.models import Account, AccountStatus, EmailToken
from cardreg.accounts.tests.conftest import register
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.mail.models import OutboxMessage


def registered_token(applicant: SignedCard) -> str:
    register(Client(), applicant)
    body = OutboxMessage.objects.latest("id").text_body
    match = re.search(r"/account/confirm#([A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)


def confirm(card: SignedCard, token: str, client: Client | None = None) -> Any:
    client = client or Client()
    assert client.get("/account/confirm").status_code == 200
    card.prove(client)
    return client.post("/account/confirm", {"token": token})


def test_the_applicants_card_activates_the_account_and_mails_the_notice(
    applicant: SignedCard,
) -> None:
    token = registered_token(applicant)
    response = confirm(applicant, token)
    assert "電子信箱認證成功" in response.content.decode()
    assert Account.objects.get().status == AccountStatus.ACTIVE
    notice = OutboxMessage.objects.latest("id")
    assert notice.template == "registration_complete"
    assert "0800-030598" in notice.text_body


def test_a_get_of_the_link_changes_nothing(applicant: SignedCard) -> None:
    registered_token(applicant)
    Client().get("/account/confirm")
    assert Account.objects.get().status == AccountStatus.PENDING


def test_another_card_cannot_confirm(applicant: SignedCard) -> None:
    token = registered_token(applicant)
    response = confirm(make_signed_card(), token)
    assert "與申請人不符" in response.content.decode()
    assert Account.objects.get().status == AccountStatus.PENDING
    # On file, although the refused activation was rolled back.
    assert AuditEvent.objects.filter(action="account.confirm_wrong_card").count() == 1


def test_a_used_link_says_already_confirmed(applicant: SignedCard) -> None:
    token = registered_token(applicant)
    confirm(applicant, token)
    response = confirm(applicant, token)
    assert "已經完成認證，請直接登入" in response.content.decode()


def test_an_expired_link_points_to_resend(applicant: SignedCard) -> None:
    token = registered_token(applicant)
    EmailToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = confirm(applicant, token)
    content = response.content.decode()
    assert "超過5天有效期限" in content
    assert "/account/resend" in content
    assert Account.objects.get().status == AccountStatus.PENDING


def test_only_the_newest_link_works(applicant: SignedCard) -> None:
    from cardreg.accounts.tokens import issue_token

    old = registered_token(applicant)
    new = issue_token(Account.objects.get(), "confirm_email", lifetime=dt.timedelta(days=5))
    response = confirm(applicant, old)
    assert "已被較新的確認信取代" in response.content.decode()
    assert "電子信箱認證成功" in confirm(applicant, new).content.decode()


def test_an_unknown_token_is_refused(applicant: SignedCard) -> None:
    registered_token(applicant)
    response = confirm(applicant, "x" * 43)
    assert "此認證連結無效" in response.content.decode()


def test_confirming_needs_the_card(applicant: SignedCard) -> None:
    token = registered_token(applicant)
    response = Client().post("/account/confirm", {"token": token})
    assert (
        "健保卡尚未讀取，請插入健保卡後再按「讀取健保卡並完成認證」。" in response.content.decode()
    )
