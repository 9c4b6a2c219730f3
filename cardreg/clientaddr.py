"""The address of the person behind a request: the one key of every per-address throttle and of
every audit record.

Without ``CARDREG_TRUSTED_PROXIES`` it is REMOTE_ADDR and X-Forwarded-For is ignored (anyone can
send that header). With it, X-Forwarded-For is walked from the right while the hop that reported
it is one of our proxies: the first address appended by a trusted hop that is not itself trusted
is the client. Whatever a client wrote to the left of that is never read, so it cannot pick its
own throttle bucket.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from cardreg.env import IPNetwork

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPAddress | None, proxies: list[IPNetwork]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The client's address as text ("" when the server gave none)."""
    remote: str = request.META.get("REMOTE_ADDR", "")
    proxies: list[IPNetwork] = settings.CARDREG_TRUSTED_PROXIES
    current = _parse(remote)
    if not _trusted(current, proxies):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        reported = _parse(hop)
        if reported is None:
            # A hop our proxy would never write: stop at the proxy (a shared bucket, never a
            # spoofed one).
            break
        current = reported
        if not _trusted(current, proxies):
            break
    return str(current)
