"""The client's address (cardreg.clientaddr): REMOTE_ADDR unless it is a trusted proxy, then the
right-most X-Forwarded-For hop that is not one of our proxies; spoofed hops never win."""

from __future__ import annotations

from ipaddress import ip_network
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from cardreg.audit.actions import client_ip
from cardreg.clientaddr import client_address
from cardreg.env import env_networks

PROXY = "10.0.0.7"


def address(remote: str, forwarded: str | None = None) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


@pytest.fixture
def behind_proxies(settings: Any) -> None:
    settings.CARDREG_TRUSTED_PROXIES = [ip_network("10.0.0.0/24"), ip_network("fd00::/8")]


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    settings.CARDREG_TRUSTED_PROXIES = []
    assert address(PROXY, "198.51.100.7") == PROXY
    assert address("203.0.113.5", "198.51.100.7, 10.0.0.7") == "203.0.113.5"


@pytest.mark.usefixtures("behind_proxies")
def test_behind_a_trusted_proxy_the_client_it_reports_is_taken() -> None:
    assert address(PROXY, "198.51.100.7") == "198.51.100.7"
    assert address("fd00::1", "2001:db8::5") == "2001:db8::5"


@pytest.mark.usefixtures("behind_proxies")
def test_a_spoofed_left_part_is_ignored() -> None:
    # The client sent "1.2.3.4, 10.0.0.9" itself; our proxy appended the address it saw.
    assert address(PROXY, "1.2.3.4, 10.0.0.9, 198.51.100.7") == "198.51.100.7"


@pytest.mark.usefixtures("behind_proxies")
def test_trusted_hops_are_skipped_right_to_left() -> None:
    assert address(PROXY, "1.2.3.4, 198.51.100.7, 10.0.0.20, 10.0.0.8") == "198.51.100.7"


@pytest.mark.usefixtures("behind_proxies")
def test_a_header_from_an_untrusted_peer_is_ignored() -> None:
    assert address("203.0.113.5", "198.51.100.7") == "203.0.113.5"


@pytest.mark.usefixtures("behind_proxies")
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (None, PROXY),
        ("", PROXY),
        ("not-an-address", PROXY),
        ("198.51.100.7:4431", PROXY),
        ("198.51.100.7, garbage, 10.0.0.8", "10.0.0.8"),
        ("garbage, 198.51.100.7", "198.51.100.7"),
        (" , ", PROXY),
    ],
)
def test_malformed_values_fall_back_to_the_nearest_trusted_hop(
    forwarded: str | None, expected: str
) -> None:
    assert address(PROXY, forwarded) == expected


def test_audit_records_take_the_same_address(behind_proxies: None) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None


def test_the_setting_takes_addresses_and_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARDREG_TRUSTED_PROXIES", "10.0.0.5, 172.16.0.0/12,fd00::/8")
    assert env_networks("CARDREG_TRUSTED_PROXIES") == [
        ip_network("10.0.0.5/32"),
        ip_network("172.16.0.0/12"),
        ip_network("fd00::/8"),
    ]


def test_a_bad_proxy_address_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARDREG_TRUSTED_PROXIES", "10.0.0.5, proxy.internal")
    with pytest.raises(ImproperlyConfigured, match=r"proxy\.internal"):
        env_networks("CARDREG_TRUSTED_PROXIES")
