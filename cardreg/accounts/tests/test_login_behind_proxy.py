"""Login throttling per address behind a reverse proxy: each real client has his own bucket, a
forged X-Forwarded-For cannot pick one, and without CARDREG_TRUSTED_PROXIES the header is
ignored."""

from __future__ import annotations

from ipaddress import ip_network
from typing import Any

import pytest
from django.test import Client

from cardreg.accounts.tests.conftest import active_account, login
from cardreg.audit.models import AuditEvent
from cardreg.cards.testing import make_signed_card

PROXY = "10.0.0.7"
WAIT = "秒後再試"
WRONG = "註冊密碼錯誤"


def through_proxy(client_address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def fail_twice_from(client: Client) -> None:
    """Two wrong passwords, each with another card: only the address counts them all."""
    for _ in range(2):
        card = make_signed_card()
        active_account(card)
        assert WRONG in login(client, card, "Wrong!pass1").content.decode()


@pytest.fixture
def one_free_failure_per_address(settings: Any, db: None) -> None:
    settings.CARDREG_LOGIN_FREE_FAILURES_PER_IP = 1


@pytest.mark.usefixtures("one_free_failure_per_address")
def test_behind_a_trusted_proxy_each_client_has_his_own_bucket(settings: Any) -> None:
    settings.CARDREG_TRUSTED_PROXIES = [ip_network("10.0.0.0/24")]
    fail_twice_from(through_proxy("198.51.100.7"))
    card = make_signed_card()
    active_account(card)
    assert WAIT in login(through_proxy("198.51.100.7"), card).content.decode()
    # A forged left part does not move him into someone else's bucket.
    forged = through_proxy("203.0.113.9, 198.51.100.7")
    assert WAIT in login(forged, card).content.decode()
    # Another user behind the same proxy logs in at once.
    assert login(through_proxy("203.0.113.9"), card).status_code == 302
    failed = AuditEvent.objects.filter(action="account.login_failed")
    assert set(failed.values_list("ip", flat=True)) == {"198.51.100.7"}


@pytest.mark.usefixtures("one_free_failure_per_address")
def test_without_trusted_proxies_a_forged_header_changes_nothing(settings: Any) -> None:
    settings.CARDREG_TRUSTED_PROXIES = []
    fail_twice_from(through_proxy("198.51.100.7"))
    card = make_signed_card()
    active_account(card)
    # Every address the header claims is the proxy's own bucket: the header is not read.
    assert WAIT in login(through_proxy("203.0.113.9"), card).content.decode()
    failed = AuditEvent.objects.filter(action="account.login_failed")
    assert set(failed.values_list("ip", flat=True)) == {PROXY}
