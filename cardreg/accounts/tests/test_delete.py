"""刪除註冊申請: the card, the masked application, 「確定刪除」; active accounts stay."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from cardreg.accounts.models import Account, AccountStatus, EmailToken
from cardreg.accounts.tests.conftest import active_account, mailed_token, register
from cardreg.accounts.tests.test_confirm import confirm
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.lib.masking import mask_national_id
from cardreg.mail.models import OutboxMessage


def read_card(client: Client, card: SignedCard) -> Any:
    assert client.get("/account/delete").status_code == 200
    card.prove(client)
    return client.post("/account/delete")


def test_the_masked_application_is_shown_then_deleted_with_its_links(
    applicant: SignedCard,
) -> None:
    register(Client(), applicant)
    token = mailed_token("/account/confirm")
    client = Client()
    response = read_card(client, applicant)
    assert response.status_code == 302
    assert response["Location"] == "/account/delete/confirm"
    page = client.get("/account/delete/confirm").content.decode()
    national_id = applicant.person.national_id
    assert mask_national_id(national_id) in page
    assert national_id not in page
    assert "wa***@example.tw" in page
    assert Account.objects.count() == 1  # showing it deletes nothing

    done = client.post("/account/delete/confirm").content.decode()
    assert "您的註冊申請已刪除" in done
    assert Account.objects.count() == EmailToken.objects.count() == 0
    mail = OutboxMessage.objects.get(template="registration_deleted")
    assert mail.recipient == "wang@example.tw"
    assert "/account/register" in mail.text_body
    assert AuditEvent.objects.filter(action="account.application_deleted").exists()
    assert "此認證連結無效" in confirm(applicant, token).content.decode()


def test_an_active_account_is_not_deleted_here(applicant: SignedCard) -> None:
    active_account(applicant)
    client = Client()
    response = read_card(client, applicant)
    content = response.content.decode()
    assert "已啟用的帳號不能在這裡刪除" in content
    assert "帳號資料異動" in content and "註冊密碼變更" in content
    assert client.get("/account/delete/confirm").status_code == 302
    assert Account.objects.get().status == AccountStatus.ACTIVE


def test_a_card_without_an_application_is_told_so(db: None) -> None:
    response = read_card(Client(), make_signed_card())
    assert "沒有待認證的註冊申請" in response.content.decode()


def test_deleting_needs_the_card(applicant: SignedCard) -> None:
    register(Client(), applicant)
    response = Client().post("/account/delete")
    assert (
        "健保卡尚未讀取，請插入健保卡後再按「讀取健保卡並查看申請」。" in response.content.decode()
    )
    response = Client().post("/account/delete/confirm", follow=True)
    assert "確認是您本人的申請" in response.content.decode()
    assert response.redirect_chain[-1][0] == "/account/delete"
    assert Account.objects.count() == 1


def test_an_old_card_read_must_be_repeated(applicant: SignedCard) -> None:
    register(Client(), applicant)
    client = Client()
    read_card(client, applicant)
    session = client.session
    session["delete_application"]["read_at"] = (
        timezone.now() - dt.timedelta(minutes=6)
    ).isoformat()
    session.save()
    assert client.post("/account/delete/confirm")["Location"] == "/account/delete"
    assert Account.objects.count() == 1


def test_an_application_confirmed_in_between_is_not_deleted(applicant: SignedCard) -> None:
    register(Client(), applicant)
    client = Client()
    read_card(client, applicant)
    confirm(applicant, mailed_token("/account/confirm"))
    response = client.post("/account/delete/confirm")
    assert "已啟用的帳號不能在這裡刪除" in response.content.decode()
    assert Account.objects.get().status == AccountStatus.ACTIVE


def test_the_confirmation_is_used_once(applicant: SignedCard) -> None:
    register(Client(), applicant)
    client = Client()
    read_card(client, applicant)
    client.post("/account/delete/confirm")
    register(Client(), applicant)  # applies again
    assert client.post("/account/delete/confirm")["Location"] == "/account/delete"
    assert Account.objects.count() == 1
