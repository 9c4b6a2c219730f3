"""以行動裝置登入: a bound passkey alone logs in, for the online services only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cardreg.accounts.middleware import AUTH_METHOD, LOGIN_AT
from cardreg.accounts.models import Account, AccountStatus, Throttle
from cardreg.audit.models import AuditEvent
from cardreg.devices.models import Device
from cardreg.devices.testing import SoftAuthenticator
from cardreg.devices.tests.conftest import bind, passkey_login, signin

REFUSED = "無法以此行動裝置登入，請改用健保卡登入"


@pytest.fixture
def bound(card_client: Client, phone: SoftAuthenticator) -> Device:
    assert bind(card_client, phone).status_code == 200
    return Device.objects.get()


def test_the_sign_in_page_is_open_before_login(db: None) -> None:
    page = Client().get("/account/devices/signin")
    assert page.status_code == 200
    content = page.content.decode()
    assert "以行動裝置登入" in content
    assert 'role="status" aria-live="polite"' in content


def test_options_ask_for_any_verified_passkey_of_this_site(db: None) -> None:
    options = Client().post("/account/devices/signin/options").json()["options"]
    assert options["rpId"] == "localhost"
    assert options["allowCredentials"] == []
    assert options["userVerification"] == "required"


def test_a_passkey_logs_in_with_a_new_session(
    bound: Device, phone: SoftAuthenticator, account: Account
) -> None:
    client = Client()
    options = client.post("/account/devices/signin/options").json()["options"]
    before = client.session.session_key
    credential = phone.get(options)
    response = client.post(
        "/account/devices/signin/verify", {"credential": credential}, "application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"redirect": "/account/services"}
    session = client.session
    assert session.session_key != before
    assert session[AUTH_METHOD] == "passkey"
    assert session["passkey_device"] == bound.pk
    assert dt.datetime.fromisoformat(session[LOGIN_AT]) <= timezone.now()
    assert int(session["_auth_user_id"]) == account.pk
    bound.refresh_from_db()
    assert bound.sign_count == 1
    assert bound.last_used_at is not None
    assert AuditEvent.objects.filter(action="device.signin", subject=f"device:{bound.pk}").exists()
    services = client.get("/account/services")
    assert services.status_code == 200
    assert "陳美玲" in services.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/account/services/change-password",
        "/account/services/change-data",
        "/account/devices/",
        "/account/devices/bind",
    ],
)
def test_a_passkey_session_cannot_change_the_account(
    bound: Device, phone: SoftAuthenticator, url: str
) -> None:
    response = passkey_login(phone).get(url)
    assert response.status_code == 403
    assert "需以健保卡登入" in response.content.decode()


def test_revoked_unknown_and_inactive_get_the_same_answer(
    bound: Device, phone: SoftAuthenticator, account: Account
) -> None:
    stranger = SoftAuthenticator()
    stranger.create({"rp": {"id": "localhost"}, "user": {"id": "AAAA"}, "challenge": "AAAA"})
    unknown = signin(Client(), stranger)

    account.status = AccountStatus.PENDING
    account.save(update_fields=["status"])
    inactive = signin(Client(), phone)
    account.status = AccountStatus.ACTIVE
    account.save(update_fields=["status"])

    Device.objects.update(revoked_at=timezone.now())
    revoked = signin(Client(), phone)

    for response in (unknown, inactive, revoked):
        assert response.status_code == 403
        assert response.json() == {"message": REFUSED}
    reasons = AuditEvent.objects.filter(action="device.signin_failed").order_by("pk")
    assert [e.detail["reason"] for e in reasons] == [
        "unknown credential",
        "account not active",
        "revoked",
    ]
    assert not AuditEvent.objects.filter(action="device.signin").exists()


def test_an_assertion_answers_once(bound: Device, phone: SoftAuthenticator) -> None:
    client = Client()
    options = client.post("/account/devices/signin/options").json()["options"]
    credential = phone.get(options)
    assert (
        client.post(
            "/account/devices/signin/verify", {"credential": credential}, "application/json"
        ).status_code
        == 200
    )
    replay = Client()
    replay.post("/account/devices/signin/options")  # a fresh challenge that it does not answer
    response = replay.post(
        "/account/devices/signin/verify", {"credential": credential}, "application/json"
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in replay.session


def test_an_old_challenge_is_refused(bound: Device, phone: SoftAuthenticator) -> None:
    client = Client()
    options = client.post("/account/devices/signin/options").json()["options"]
    session = client.session
    session["devices.authentication"]["expires"] = (
        timezone.now() - dt.timedelta(seconds=1)
    ).isoformat()
    session.save()
    response = client.post(
        "/account/devices/signin/verify", {"credential": phone.get(options)}, "application/json"
    )
    assert response.json() == {"message": REFUSED}


@pytest.mark.parametrize(
    ("get", "reason"),
    [
        ({"verified": False}, "user was not verified"),
        ({"origin": "https://phish.example"}, "Unexpected client data origin"),
        ({"counter_step": -5}, "sign count"),  # a cloned authenticator: the counter went back
    ],
)
def test_assertions_that_do_not_verify_are_refused(
    bound: Device, phone: SoftAuthenticator, get: dict[str, Any], reason: str
) -> None:
    Device.objects.update(sign_count=10)
    phone.credentials[-1].sign_count = 10
    response = signin(Client(), phone, **get)
    assert response.json() == {"message": REFUSED}
    event = AuditEvent.objects.get(action="device.signin_failed")
    assert reason in event.detail["reason"]
    bound.refresh_from_db()
    assert (bound.sign_count, bound.last_used_at) == (10, None)


def test_failures_bring_delays_per_address(
    bound: Device, phone: SoftAuthenticator, settings: Any
) -> None:
    settings.CARDREG_LOGIN_FREE_FAILURES_PER_IP = 2
    for _ in range(3):
        assert signin(Client(), phone, verified=False).status_code == 403
    response = signin(Client(), phone)
    assert response.status_code == 429
    assert "秒後再試" in response.json()["message"]
    Throttle.objects.update(blocked_until=timezone.now() - dt.timedelta(seconds=1))
    assert signin(Client(), phone).status_code == 200


def test_a_logged_in_visitor_is_sent_to_the_services(
    bound: Device, phone: SoftAuthenticator
) -> None:
    response = passkey_login(phone).get("/account/devices/signin")
    assert response.status_code == 302
    assert response["Location"] == "/account/services"


def test_an_answer_for_another_user_handle_is_refused(
    bound: Device, phone: SoftAuthenticator
) -> None:
    phone.credentials[-1].user_handle = b"someone else"
    assert signin(Client(), phone).json() == {"message": REFUSED}
