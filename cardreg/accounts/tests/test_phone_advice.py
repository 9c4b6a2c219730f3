"""A number typed into 註冊資料 or 帳號資料異動 lost no 0 to Excel: the form says what a number
looks like and offers the number meant; the batch file keeps its spreadsheet advice."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from cardreg.accounts.tests.conftest import active_account, register, visible
from cardreg.accounts.tests.test_change_data import logged_in, submit
from cardreg.cards.testing import SignedCard
from cardreg.employers.batchfile.columns import Column
from cardreg.employers.batchfile.rows import RowProblem
from cardreg.employers.wording import problem_message
from cardreg.lib.phones import PhoneProblem

MOBILE_ADVICE = "行動電話應以09開頭，共10碼，例如 0912345678。您是不是要輸入 0912345678？"
LANDLINE_ADVICE = "市話請以0開頭的區碼輸入，例如 02-2345-6789。您是不是要輸入 02-23456789？"


def test_registration_offers_the_mobile_number_meant(applicant: SignedCard) -> None:
    page = visible(register(Client(), applicant, mobile="912345678"))
    assert MOBILE_ADVICE in page
    assert "Excel" not in page


@pytest.mark.parametrize(
    ("changes", "advice"),
    [
        ({"mobile": "912-345-678"}, MOBILE_ADVICE),
        ({"phone_area": "2", "phone_number": "23456789"}, LANDLINE_ADVICE),
    ],
)
def test_account_data_offers_the_number_meant(
    applicant: SignedCard, changes: dict[str, str], advice: str
) -> None:
    active_account(applicant)
    page = submit(logged_in(applicant), **changes).content.decode()
    assert advice in page
    assert "Excel" not in page


def test_the_advice_speaks_english(applicant: SignedCard) -> None:
    client = Client(headers={"accept-language": "en"})
    page = visible(register(client, applicant, mobile="912345678"))
    assert "A mobile number starts with 09 and has 10 digits" in page
    assert "Did you mean 0912345678?" in page


def test_the_batch_file_keeps_the_spreadsheet_advice() -> None:
    problem = RowProblem(
        Column.MOBILE, PhoneProblem.LEADING_ZERO_DROPPED, {"suggestion": "0912345678"}
    )
    with translation.override("zh-hant"):
        message = problem_message(problem)
    assert "Excel" in message and "0912345678" in message
