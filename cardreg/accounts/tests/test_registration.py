"""The registration journey through HTTP, with the messages the user sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cardreg.accounts.models import Account, AccountStatus, EmailToken
from cardreg.accounts.tests.conftest import GOOD_DETAILS, HOUSEHOLD, register, walk_to_details
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard
from cardreg.mail.models import OutboxMessage


def page(response: Any) -> str:
    return str(response.content.decode())


def test_a_full_registration_creates_a_pending_account_and_mails_the_link(
    applicant: SignedCard,
) -> None:
    client = Client()
    response = register(client, applicant)
    assert response.status_code == 302
    assert response["Location"] == "/account/register/done"
    assert "您已完成申請並將在數分鐘後收到E-Mail確認信" in page(client.get(response["Location"]))
    account = Account.objects.get()
    assert account.status == AccountStatus.PENDING
    assert account.person == applicant.person
    assert account.phone == "02-23456789#123"
    assert account.check_password(GOOD_DETAILS["password"])
    assert account.password.startswith("argon2$argon2id$")
    mail = OutboxMessage.objects.get()
    assert mail.recipient == "wang@example.tw"
    assert "/account/confirm#" in mail.text_body
    assert applicant.person.national_id not in mail.text_body
    assert EmailToken.objects.count() == 1
    assert AuditEvent.objects.filter(action="account.registered").exists()


@pytest.mark.parametrize(
    "path",
    ["/account/register/card", "/account/register/household", "/account/register/details"],
)
def test_steps_cannot_be_entered_without_a_journey(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == "/account/register"


def test_steps_out_of_order_send_the_user_back(applicant: SignedCard) -> None:
    client = Client()
    client.post("/account/register", {"agree": "yes"})
    response = client.post("/account/register/details", GOOD_DETAILS, follow=True)
    assert "請依序完成每一個步驟" in page(response)
    assert response.redirect_chain[-1][0] == "/account/register/card"
    assert Account.objects.count() == 0


def test_the_terms_must_be_accepted(db: None) -> None:
    response = Client().post("/account/register", {})
    assert "請勾選「我已閱讀完畢，並瞭解相關規定」" in page(response)


def test_the_card_step_needs_a_proof(applicant: SignedCard) -> None:
    client = Client()
    client.post("/account/register", {"agree": "yes"})
    response = client.post("/account/register/card")
    assert "健保卡尚未讀取，請插入健保卡後再按「讀取健保卡並繼續」。" in page(response)


def test_a_proof_is_used_once(applicant: SignedCard) -> None:
    client = Client()
    walk_to_details(client, applicant)
    client.post("/account/register", {"agree": "yes"})  # start again: the old proof is spent
    response = client.post("/account/register/card")
    assert "健保卡尚未讀取，請插入健保卡後再按「讀取健保卡並繼續」。" in page(response)


def test_a_wrong_household_number_is_refused_without_saying_which_field(
    applicant: SignedCard,
) -> None:
    client = Client()
    client.post("/account/register", {"agree": "yes"})
    applicant.prove(client)
    client.post("/account/register/card")
    response = client.post("/account/register/household", {**HOUSEHOLD, "household_no": "F7654321"})
    assert "與戶政資料不符" in page(response)
    assert client.get("/account/register/details").status_code == 302


def test_household_failures_are_limited_per_card_per_day(
    applicant: SignedCard, settings: Any
) -> None:
    settings.CARDREG_HOUSEHOLD_FAILURES_PER_DAY = 2
    client = Client()
    client.post("/account/register", {"agree": "yes"})
    applicant.prove(client)
    client.post("/account/register/card")
    wrong = {**HOUSEHOLD, "household_no": "F7654321"}
    for _ in range(2):
        assert "與戶政資料不符" in page(client.post("/account/register/household", wrong))
    response = client.post("/account/register/household", HOUSEHOLD)
    assert "次數已達上限" in page(response)
    assert client.get("/account/register/details").status_code == 302


def test_register_down_says_try_later_and_saves_nothing(
    applicant: SignedCard, settings: Any
) -> None:
    from cardreg.cards.testing import free_port

    settings.CARDREG_HOUSEHOLD_REGISTER = "http"
    settings.CARDREG_HOUSEHOLD_URL = f"http://127.0.0.1:{free_port()}/check"
    settings.CARDREG_HOUSEHOLD_RETRIES = 0
    client = Client()
    client.post("/account/register", {"agree": "yes"})
    applicant.prove(client)
    client.post("/account/register/card")
    response = client.post("/account/register/household", HOUSEHOLD)
    assert "戶政資料查詢暫時無法使用，請稍後再試" in page(response)
    assert client.get("/account/register/details").status_code == 302
    assert Account.objects.count() == 0


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"password": "Ab1!", "password_confirm": "Ab1!"}, "註冊密碼太短，至少需要 6 碼"),
        ({"password": "A" * 65, "password_confirm": "A" * 65}, "註冊密碼太長，最多 64 碼"),
        ({"password_confirm": "Tw!2026other"}, "兩次輸入的註冊密碼不一致"),
        ({"password": "password1", "password_confirm": "password1"}, "這個密碼太常見"),
        ({"password": " Tw!2026x", "password_confirm": " Tw!2026x"}, "開頭或結尾不可以是空白"),
        ({"email": "not-an-address"}, "E-Mail格式不正確"),
        ({"email": ""}, "此欄必填"),
        ({"email_backup": "WANG@example.tw"}, "備用E-Mail不可與主要E-Mail相同"),
        ({"mobile": ""}, "此欄必填"),
        ({"mobile": "0212345678"}, "手機號碼應為09開頭的10位數字"),
        ({"mobile": "912345678"}, "0912345678"),
        ({"phone_area": "", "phone_number": "23456789"}, "請在市話號碼前加上區碼"),
    ],
)
def test_each_bad_field_is_explained_and_nothing_is_saved(
    applicant: SignedCard, details: dict[str, str], message: str
) -> None:
    response = register(Client(), applicant, **details)
    assert message in page(response)
    assert Account.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_passwords_with_personal_data_are_refused_with_the_reason(applicant: SignedCard) -> None:
    person = applicant.person
    cases = {
        f"x{person.national_id}": "不可包含您的身分證號",
        f"Ab!{person.birth_date:%Y%m%d}": "不可包含您的出生日期",
        "Ab!0790101": "不可包含您的出生日期",
        f"Ab!{applicant.number}": "不可包含您的健保卡號",
    }
    for password, message in cases.items():
        response = register(Client(), applicant, password=password, password_confirm=password)
        assert message in page(response), password


def test_a_microsoft_address_is_warned_about_not_refused(applicant: SignedCard) -> None:
    client = Client()
    register(client, applicant, email="wang@hotmail.com")
    assert "建議不要填寫微軟e-mail信箱" in page(client.get("/account/register/done"))
    assert Account.objects.get().email == "wang@hotmail.com"


def test_a_registered_person_cannot_apply_again(applicant: SignedCard) -> None:
    register(Client(), applicant)
    client = Client()
    client.post("/account/register", {"agree": "yes"})
    applicant.prove(client)
    response = client.post("/account/register/card")
    assert "尚未完成電子信箱認證" in page(response)
    assert '請使用「<a href="/account/resend">重寄確認信</a>」。' in page(response)
    assert Account.objects.count() == 1


def test_reloading_the_done_page_says_the_application_was_saved(applicant: SignedCard) -> None:
    client = Client()
    register(client, applicant)
    for _ in range(2):
        response = client.get("/account/register/done")
        assert "您已完成申請並將在數分鐘後收到E-Mail確認信" in page(response)
        assert "申請作業已逾時" not in page(response)


def test_the_form_sent_again_leads_to_the_done_page(applicant: SignedCard) -> None:
    client = Client()
    register(client, applicant)
    response = client.post("/account/register/details", GOOD_DETAILS, follow=True)
    assert response.redirect_chain == [("/account/register/done", 302)]
    assert "您已完成申請" in page(response)
    assert "申請作業已逾時" not in page(response)
    assert Account.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_the_done_page_without_an_application_sends_to_the_start(db: None) -> None:
    response = Client().get("/account/register/done")
    assert response.status_code == 302
    assert response["Location"] == "/account/register"


def test_a_new_journey_forgets_the_last_outcome(applicant: SignedCard) -> None:
    client = Client()
    register(client, applicant)
    client.post("/account/register", {"agree": "yes"})
    assert client.get("/account/register/done")["Location"] == "/account/register"
    assert client.get("/account/register/details")["Location"] == "/account/register/card"


def test_an_application_saved_meanwhile_says_so_on_the_done_page(applicant: SignedCard) -> None:
    client = Client()
    walk_to_details(client, applicant)
    register(Client(), applicant)  # the same card holder, in another browser, was faster
    response = client.post("/account/register/details", GOOD_DETAILS, follow=True)
    assert response.redirect_chain == [("/account/register/done", 302)]
    assert '請使用「<a href="/account/resend">重寄確認信</a>」。' in page(response)
    assert 'id="submitted"' not in page(response)
    assert Account.objects.count() == 1


def test_the_resend_link_speaks_english(applicant: SignedCard) -> None:
    register(Client(), applicant)
    client = Client(headers={"accept-language": "en"})
    client.post("/account/register", {"agree": "yes"})
    applicant.prove(client)
    text = page(client.post("/account/register/card"))
    assert 'use &quot;<a href="/account/resend">Resend confirmation mail</a>&quot;.' in text


def test_registrations_per_address_are_limited(applicant: SignedCard, settings: Any) -> None:
    settings.CARDREG_REGISTRATIONS_PER_IP_HOUR = 0
    response = register(Client(), applicant)
    assert "送出的申請太多" in page(response)
    assert Account.objects.count() == 0


def test_the_journey_speaks_english(applicant: SignedCard) -> None:
    client = Client(headers={"accept-language": "en"})
    response = register(client, applicant, mobile="912345678")
    assert "A mobile number starts with 09" in page(response)
    assert "Did you mean 0912345678?" in page(response)


def test_a_slow_register_says_try_later_within_the_timeout(
    applicant: SignedCard, settings: Any
) -> None:
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    release = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            release.wait(5)  # longer than the adapter waits

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CARDREG_HOUSEHOLD_REGISTER = "http"
    settings.CARDREG_HOUSEHOLD_URL = f"http://127.0.0.1:{server.server_port}/check"
    settings.CARDREG_HOUSEHOLD_TIMEOUT_SECONDS = 0.3
    settings.CARDREG_HOUSEHOLD_RETRIES = 1
    try:
        client = Client()
        client.post("/account/register", {"agree": "yes"})
        applicant.prove(client)
        client.post("/account/register/card")
        started = time.monotonic()
        response = client.post("/account/register/household", HOUSEHOLD)
        assert time.monotonic() - started < 2
        assert "戶政資料查詢暫時無法使用，請稍後再試" in page(response)
        assert client.get("/account/register/details").status_code == 302
    finally:
        release.set()
        server.shutdown()
        server.server_close()
