"""The HTTP household register against a real HTTP server on loopback, started by the test."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from cardreg.cards.testing import free_port
from cardreg.registry.checks import check_household_register
from cardreg.registry.household import (
    HouseholdQuery,
    HouseholdRegisterUnavailable,
    Outcome,
    check_household,
)
from cardreg.registry.tests.conftest import FakeRegister, Reply

NATIONAL_ID = "A123456789"
QUERY: dict[str, Any] = {
    "national_id": NATIONAL_ID,
    "household_no": "F1234567",
    "county": "臺北市",
    "township": "中正區",
    "village": "黎明里",
    "neighbourhood": 3,
}


def test_a_match_is_answered_and_the_request_carries_every_field(
    fake_register: FakeRegister,
) -> None:
    result = check_household(**QUERY)
    assert result.match
    assert result.outcome == Outcome.MATCH
    assert fake_register.requests == [QUERY]
    assert fake_register.content_types == ["application/json; charset=utf-8"]


@pytest.mark.parametrize(
    ("body", "person_found"),
    [
        (b'{"match": false}', None),
        (b'{"match": false, "person_found": true}', True),
        (b'{"match": false, "person_found": false}', False),
    ],
)
def test_a_mismatch_is_answered_with_what_the_register_said_about_the_person(
    fake_register: FakeRegister, body: bytes, person_found: bool | None
) -> None:
    fake_register.replies = [Reply(body=body)]
    result = check_household(**QUERY)
    assert not result.match
    assert result.outcome == Outcome.MISMATCH
    assert result.person_found is person_found


def test_nothing_listening_is_unavailable(settings: Any) -> None:
    settings.CARDREG_HOUSEHOLD_REGISTER = "http"
    settings.CARDREG_HOUSEHOLD_URL = f"http://127.0.0.1:{free_port()}/check"
    settings.CARDREG_HOUSEHOLD_RETRIES = 2
    with pytest.raises(HouseholdRegisterUnavailable, match="3 attempt"):
        check_household(**QUERY)


def test_a_register_slower_than_the_timeout_is_unavailable_after_the_retries(
    fake_register: FakeRegister, settings: Any
) -> None:
    settings.CARDREG_HOUSEHOLD_TIMEOUT_SECONDS = 0.3
    settings.CARDREG_HOUSEHOLD_RETRIES = 1
    fake_register.replies = [Reply(delay=5)]
    started = time.monotonic()
    with pytest.raises(HouseholdRegisterUnavailable):
        check_household(**QUERY)
    elapsed = time.monotonic() - started
    assert 0.6 <= elapsed < 0.6 + 0.5  # timeout × (retries + 1), plus a little
    assert len(fake_register.requests) == 2


def test_a_server_error_is_tried_again_and_the_second_answer_counts(
    fake_register: FakeRegister,
) -> None:
    fake_register.replies = [Reply(status=500, body=b"oops"), Reply(body=b'{"match": true}')]
    assert check_household(**QUERY).match
    assert len(fake_register.requests) == 2


def test_server_errors_on_every_attempt_are_unavailable(
    fake_register: FakeRegister, settings: Any
) -> None:
    settings.CARDREG_HOUSEHOLD_RETRIES = 2
    fake_register.replies = [Reply(status=503, body=b"")]
    with pytest.raises(HouseholdRegisterUnavailable, match="HTTP 503"):
        check_household(**QUERY)
    assert len(fake_register.requests) == 3


@pytest.mark.parametrize(
    "reply",
    [
        Reply(status=400, body=b'{"error": "bad request"}'),
        Reply(status=404, body=b""),
        Reply(status=302, body=b"", headers={"Location": "http://127.0.0.1:1/elsewhere"}),
        Reply(status=204, body=b""),
        Reply(body=b"<html>maintenance</html>"),
        Reply(body=b"[true]"),
        Reply(body=b'{"match": "yes"}'),
        Reply(body=b"{}"),
        Reply(body=b'{"match": true, "padding": "' + b"x" * 70_000 + b'"}'),
    ],
    ids=["400", "404", "redirect", "204", "html", "list", "string", "empty", "huge"],
)
def test_an_answer_other_than_the_agreed_one_is_unavailable_and_not_retried(
    fake_register: FakeRegister, reply: Reply
) -> None:
    fake_register.replies = [reply]
    with pytest.raises(HouseholdRegisterUnavailable):
        check_household(**QUERY)
    assert len(fake_register.requests) == 1


def test_logs_never_hold_the_full_national_id(
    fake_register: FakeRegister, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_register.replies = [Reply(body=b'{"match": false, "person_found": false}')]
    check_household(**QUERY)
    fake_register.replies = [Reply(status=500, body=b"")]
    with pytest.raises(HouseholdRegisterUnavailable):
        check_household(**QUERY)
    assert "A12345****" in caplog.text
    assert "not in the register" in caplog.text
    assert NATIONAL_ID not in caplog.text
    assert repr(HouseholdQuery(**QUERY)) == "HouseholdQuery(A12345****)"


@pytest.mark.parametrize("url", ["", "file:///etc/passwd", "ftp://register.example/"])
def test_a_register_url_that_is_not_http_stops_the_server(settings: Any, url: str) -> None:
    settings.CARDREG_HOUSEHOLD_REGISTER = "http"
    settings.CARDREG_HOUSEHOLD_URL = url
    assert [e.id for e in check_household_register()] == ["registry.E001"]
    with pytest.raises(ImproperlyConfigured):
        check_household(**QUERY)


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("CARDREG_HOUSEHOLD_REGISTER", "ldap", "registry.E001"),
        ("CARDREG_HOUSEHOLD_TIMEOUT_SECONDS", 0, "registry.E002"),
        ("CARDREG_HOUSEHOLD_RETRIES", -1, "registry.E003"),
    ],
)
def test_other_bad_settings_stop_the_server(
    settings: Any, name: str, value: object, error: str
) -> None:
    settings.CARDREG_HOUSEHOLD_REGISTER = "local"
    setattr(settings, name, value)
    assert [e.id for e in check_household_register()] == [error]


def test_good_settings_pass_the_checks(fake_register: FakeRegister) -> None:
    assert check_household_register() == []


def test_the_household_number_and_names_are_sent_normalised(fake_register: FakeRegister) -> None:
    typed = {
        **QUERY,
        "household_no": " ｆ１２３４５６７ ",
        "county": "臺北市 ",
        "village": " 黎明里",
    }
    check_household(**typed)
    assert fake_register.requests == [QUERY]
