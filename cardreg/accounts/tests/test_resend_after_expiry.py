"""重寄認證信 after the link ran out: an employer-made application stays open to it for
CARDREG_EMPLOYER_PENDING_RESEND_DAYS, then it is void and deleted, and the page says so honestly,
in the same words as for a card that never applied."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cardreg.accounts.housekeeping import purge_expired_pending
from cardreg.accounts.models import Account, AccountOrigin, EmailToken
from cardreg.accounts.tests.conftest import mailed_token, register, visible
from cardreg.accounts.tests.test_activate import activate, employer_account, link_in
from cardreg.accounts.tests.test_resend import APPLY_AGAIN, NOTHING_SENT, resend
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.mail.models import OutboxMessage


@pytest.fixture(autouse=True)
def _thirty_days(settings: Any) -> None:
    settings.CARDREG_EMPLOYER_PENDING_RESEND_DAYS = 30


def expired_employer_application(card: SignedCard, days_ago: int) -> None:
    """An employer-made application whose link ran out ``days_ago``, after the hourly purge."""
    account, _ = employer_account(card)
    made = timezone.now() - dt.timedelta(days=days_ago + 5)
    Account.objects.filter(pk=account.pk).update(created_at=made)
    EmailToken.objects.update(expires_at=timezone.now() - dt.timedelta(days=days_ago))
    purge_expired_pending(timezone.now())


def test_within_the_period_an_expired_employer_application_gets_a_working_link(
    applicant: SignedCard,
) -> None:
    expired_employer_application(applicant, days_ago=29)
    page = resend(applicant).content.decode()
    assert "新的認證信已寄出" in page
    mail = OutboxMessage.objects.get(template="activation_link")
    assert mail.recipient == "lin@example.tw"
    assert "認證完成" in activate(applicant, link_in(mail)).content.decode()


def test_past_the_period_the_answer_is_honest_and_the_same_as_for_an_unknown_card(
    applicant: SignedCard,
) -> None:
    expired_employer_application(applicant, days_ago=31)
    past = resend(applicant)
    unknown = resend(make_signed_card())
    assert past.status_code == unknown.status_code == 200
    assert visible(past) == visible(unknown)
    for text in (NOTHING_SENT, APPLY_AGAIN, "首次登入請先申請", "洽投保單位重新上傳"):
        assert text in visible(past)
    assert "已寄出" not in visible(past)
    assert not OutboxMessage.objects.exists()


def test_past_the_period_the_holder_can_apply_himself(applicant: SignedCard) -> None:
    expired_employer_application(applicant, days_ago=31)
    register(Client(), applicant)
    assert Account.objects.get().origin == AccountOrigin.SELF
    assert mailed_token("/account/confirm")


def test_the_expired_link_states_the_period(applicant: SignedCard) -> None:
    _, token = employer_account(applicant)
    EmailToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    content = activate(applicant, token).content.decode()
    assert "已超過 5 天有效期限" in content
    assert "連結失效後 30 天內" in content
