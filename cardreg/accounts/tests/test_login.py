"""Login with card + registration password, sessions, throttling and logout."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from cardreg.accounts.models import AccountStatus
from cardreg.accounts.tests.conftest import GOOD_DETAILS, active_account, login, visible
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import SignedCard, make_signed_card

PASSWORD = GOOD_DETAILS["password"]


def test_card_and_password_log_in_with_a_new_session_key(applicant: SignedCard) -> None:
    active_account(applicant)
    client = Client()
    applicant.prove(client)
    before = client.session.session_key
    response = client.post("/account/login", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/services"
    assert client.session.session_key != before
    services = client.get("/account/services").content.decode()
    for item in ("行動裝置認證", "行動裝置管理作業", "帳號資料異動", "註冊密碼變更"):
        assert item in services


def test_unknown_card_and_wrong_password_get_the_same_answer(applicant: SignedCard) -> None:
    active_account(applicant)
    wrong = login(Client(), applicant, "Wrong!pass1")
    unknown = login(Client(), make_signed_card(), PASSWORD)
    assert wrong.status_code == unknown.status_code == 200
    assert visible(wrong) == visible(unknown)
    assert "註冊密碼錯誤，或此健保卡尚未註冊" in visible(wrong)


def test_login_needs_a_proven_card(applicant: SignedCard) -> None:
    active_account(applicant)
    response = Client().post("/account/login", {"password": PASSWORD})
    assert "健保卡尚未讀取，請插入健保卡後再按「登入」。" in response.content.decode()


def test_a_pending_account_is_told_to_confirm(applicant: SignedCard) -> None:
    account = active_account(applicant)
    account.status = AccountStatus.PENDING
    account.save()
    assert "尚未啟用" in login(Client(), applicant, PASSWORD).content.decode()


def test_failures_bring_growing_delays_not_a_lock(applicant: SignedCard, settings: Any) -> None:
    settings.CARDREG_LOGIN_FREE_FAILURES = 2
    active_account(applicant)
    client = Client()
    for _ in range(2):
        assert "註冊密碼錯誤" in login(client, applicant, "Wrong!pass1").content.decode()
    login(client, applicant, "Wrong!pass1")  # the third failure starts a 1-second delay
    response = login(client, applicant, PASSWORD)
    assert "秒後再試" in response.content.decode()
    from cardreg.accounts.models import Throttle

    Throttle.objects.update(blocked_until=timezone.now() - dt.timedelta(seconds=1))
    assert login(client, applicant, PASSWORD).status_code == 302  # never a permanent lock
    assert AuditEvent.objects.filter(action="account.login_failed").count() == 3


def test_logout_ends_the_session_on_the_server(applicant: SignedCard) -> None:
    active_account(applicant)
    client = Client()
    login(client, applicant, PASSWORD)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    response = client.post("/account/logout", follow=True)
    assert "您已登出" in response.content.decode()
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/account/services").status_code == 302


def test_a_session_ends_after_the_absolute_limit(applicant: SignedCard, settings: Any) -> None:
    active_account(applicant)
    client = Client()
    login(client, applicant, PASSWORD)
    session = client.session
    session["login_at"] = (timezone.now() - dt.timedelta(hours=25)).isoformat()
    session.save()
    assert client.get("/account/services").status_code == 302


def test_idle_timeout_is_one_hour(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_the_home_page_is_the_login_page_with_every_link(db: None) -> None:
    content = Client().get("/").content.decode()
    assert "請插入健保卡後，輸入註冊密碼再按【登入】鈕" in content
    for label in (
        "首次登入請先申請",
        "重寄確認信",
        "刪除註冊申請",
        "忘記註冊密碼",
        "電腦環境檢測",
        "使用說明",
    ):
        assert label in content


def test_every_login_page_link_leads_to_a_working_page(db: None) -> None:
    client = Client()
    content = client.get("/").content.decode()
    links = re.findall(r'<li><a href="(/[^"]*)">', content)
    assert len(links) >= 7
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert "此功能即將提供" not in response.content.decode(), link


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("zh-TW", "註冊前，請先進行系統設定及元件安裝"),
        ("en", "Before registering, set up your computer and install the card component first"),
    ],
)
def test_the_setup_links_say_to_set_up_before_registering(
    db: None, language: str, note: str
) -> None:
    content = Client().get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    item = re.search(
        r'<li><a href="/environment-check">[^<]+</a>\s*<span[^>]*>([^<]+)</span>', content
    )
    assert item is not None
    assert item.group(1) == note
