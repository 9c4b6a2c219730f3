"""重寄確認信 / 重寄認證信 with a corrected e-mail: the 戶號 and 戶籍鄉鎮里鄰 are asked again and
checked with the household register, as registration does, so a card alone (a family member's)
cannot send the pending application's link to another mailbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client

from cardreg.accounts import throttle
from cardreg.accounts.models import Account
from cardreg.accounts.tests.conftest import HOUSEHOLD, mailed_token, register
from cardreg.accounts.tests.test_activate import employer_account
from cardreg.accounts.tests.test_resend import resend
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.mail.models import OutboxMessage

MISMATCH = "您輸入的戶號或戶籍地址與戶政資料不符"
NO_HOUSEHOLD_WAY = (
    "沒有戶籍資料者（例如外籍人士）無法在此更正E-Mail，請洽投保單位，"
    "或撥免付費客服專線 0800-030598。"
)
WRONG_HOUSEHOLD = {**HOUSEHOLD, "household_no": "F7654321"}


def household_failures(card: SignedCard) -> int:
    return throttle.count("household", str(card.person.pk), window=timedelta(days=1))


def test_the_page_asks_for_the_household_with_the_cascade(db: None) -> None:
    page = Client().get("/account/resend").content.decode()
    assert "更正E-Mail時，請一併依戶口名簿輸入您的戶號及戶籍鄉鎮里鄰" in page
    assert 'name="household_no"' in page
    assert '<option value="臺北市">臺北市</option>' in page
    assert "js/cascade.js" in page


def test_a_wrong_household_does_not_redirect_the_link(applicant: SignedCard) -> None:
    register(Client(), applicant)  # to wang@example.tw
    response = resend(applicant, email="thief@example.tw", household=WRONG_HOUSEHOLD)
    page = response.content.decode()
    assert MISMATCH in page
    assert NO_HOUSEHOLD_WAY in page
    assert Account.objects.get().email == "wang@example.tw"
    assert not OutboxMessage.objects.filter(recipient="thief@example.tw").exists()
    assert OutboxMessage.objects.count() == 1  # only the registration's
    assert household_failures(applicant) == 1
    assert AuditEvent.objects.filter(action="account.household_mismatch").count() == 1


def test_the_right_household_sends_the_link_to_the_new_address(applicant: SignedCard) -> None:
    register(Client(), applicant)
    response = resend(applicant, email="lin.new@example.tw", household=HOUSEHOLD)
    assert "新的確認信已寄出" in response.content.decode()
    assert mailed_token("/account/confirm", to="lin.new@example.tw")
    assert household_failures(applicant) == 0


def test_a_corrected_address_without_the_household_names_every_missing_field(
    applicant: SignedCard,
) -> None:
    register(Client(), applicant)
    page = resend(applicant, email="lin.new@example.tw").content.decode()
    assert page.count("更正E-Mail時此欄必填。") >= 5  # 戶號, 縣市, 鄉鎮市區, 村里, 鄰
    assert Account.objects.get().email == "wang@example.tw"
    assert OutboxMessage.objects.count() == 1


def test_without_a_corrected_address_no_household_is_needed(applicant: SignedCard) -> None:
    register(Client(), applicant)
    assert "新的確認信已寄出" in resend(applicant).content.decode()
    assert household_failures(applicant) == 0


def test_mismatches_count_with_the_registrations_daily_limit(
    applicant: SignedCard, settings: Any
) -> None:
    settings.CARDREG_HOUSEHOLD_FAILURES_PER_DAY = 2
    register(Client(), applicant)
    for _ in range(2):
        resend(applicant, email="thief@example.tw", household=WRONG_HOUSEHOLD)
    page = resend(applicant, email="lin.new@example.tw", household=HOUSEHOLD).content.decode()
    assert "今天戶籍資料比對失敗的次數已達上限" in page
    assert Account.objects.get().email == "wang@example.tw"


def test_an_employer_registration_needs_the_household_too(db: None) -> None:
    card = make_signed_card(name="陳志明")  # no household record: e.g. a foreign employee
    employer_account(card, email="wrong@example.tw")
    page = resend(card, email="chen@example.tw", household=HOUSEHOLD).content.decode()
    assert MISMATCH in page
    assert NO_HOUSEHOLD_WAY in page
    assert Account.objects.get().email == "wrong@example.tw"
    assert not OutboxMessage.objects.exists()
    # Without a correction 重寄認證信 still works, to the address the employer gave.
    assert "新的認證信已寄出" in resend(card).content.decode()
    assert mailed_token("/account/activate", to="wrong@example.tw")
