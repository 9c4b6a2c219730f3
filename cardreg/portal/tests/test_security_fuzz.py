"""Hostile input to every URL of the project, as anybody, a citizen, an employer administrator and
an API token: form fields, JSON bodies and raw bytes may be refused, never answered with a 5xx.

Every URL pattern is posted to (those that take no POST answer 405), its path parameters filled
with objects that exist, so the hostile values reach the views' parsing and not only a 404."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardreg.accounts import forms as accounts_forms
from cardreg.devices import forms as devices_forms
from cardreg.employers import forms as employers_forms
from cardreg.employers.api.testing import bearer, issued_token
from cardreg.employers.models import Batch, InsuranceUnit, RoleGrant
from cardreg.employers.testing import batch_rows, csv_bytes, national_ids, submitted_batch
from cardreg.employers.tests.conftest import ADMIN_ID, OTHER_ID, make_grant, make_unit
from cardreg.employers.tests.pages import PASSWORD, Cast, employer_login, make_cast

pytestmark = pytest.mark.security

HOSTILE_TEXT = [
    "",
    " ",
    "x" * 100_000,
    "\x00",
    "A12345\x006789",
    "\u202eLFS.exe",
    "\u202a\u202b\u200f\ufeff",
    "😀👨‍👩‍👧" * 40,
    "' OR '1'='1' --",
    "'; DROP TABLE accounts_account; --",
    '"><script>alert(1)</script>',
    "{{ 7*7 }} {% debug %} %(name)s {0}",
    "=cmd|' /C calc'!A0",
    "../../../../etc/passwd",
    "%00%ff%fe",
    "-1",
    "9" * 400,
    "1e309",
    "NaN",
    "A123456789",
    "0912345678",
    "a@example.tw\r\nBcc: x@example.com",
    "ＡＢＣ１２３，：；",
]

# Form field names of the project's forms, and the names the JSON endpoints read.
JSON_FIELDS = [
    "challenge",
    "origin",
    "card_number",
    "signature",
    "credential",
    "id",
    "rawId",
    "type",
    "response",
    "clientDataJSON",
    "authenticatorData",
    "attestationObject",
    "userHandle",
    "token",
    "next",
    "language",
    "agree",
    "file",
    "confirm",
    "can_upload",
    "can_query",
    "national_id",
    "name",
    "page",
]

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

RAW_CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "text/plain; charset=utf-16",
    "application/json; charset=latin-1",
    "application/octet-stream",
]


def form_fields() -> list[str]:
    """Every field name the project's forms and templates use, and the JSON endpoints'."""
    names: set[str] = set(JSON_FIELDS)
    for template in TEMPLATES.rglob("*.html"):
        names.update(re.findall(r'\bname="([a-z_]+)"', template.read_text(encoding="utf-8")))
    for module in (accounts_forms, devices_forms, employers_forms):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.Form):
                names.update(value.base_fields)
    return sorted(names)


FIELDS = form_fields()


def patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


@dataclass
class Site:
    cast: Cast
    batch: Batch
    grant: RoleGrant
    spare: RoleGrant  # deleted and revoked by the fuzz, so that `grant` stays to be edited
    token: str

    def url(self, pattern: str) -> str:
        """The pattern with its parameters filled by objects of the administrator's unit."""

        grant = self.spare if pattern.endswith(("delete", "revoke")) else self.grant

        def fill(match: re.Match[str]) -> str:
            before, name = match.group(1), match.group(2)
            if name == "code":
                return str(self.cast.unit.code)
            if name == "grant":
                return str(grant.pk)
            if before == "roles/":
                return str(grant.role.pk)
            if name in ("pk", "batch_id") and before in ("uploads/", "batches/"):
                return str(self.batch.pk)
            return "1"

        path = re.sub(
            r"([a-z_]+/)?<(?:\w+:)?(\w+)>", lambda m: (m.group(1) or "") + fill(m), pattern
        )
        return "/" + path.lstrip("^").rstrip("$")


def last_ones(url: str) -> bool:
    # Ending the session early would leave the other URLs to be posted to anonymously.
    return any(word in url for word in ("logout", "delete", "reset", "revoke"))


def all_urls(site: Site) -> list[str]:
    urls = sorted({site.url(pattern) for pattern in patterns(get_resolver())})
    return sorted(urls, key=last_ones)


@pytest.fixture
def site(db: None) -> Site:
    unit: InsuranceUnit = make_unit()
    cast = make_cast(unit, make_unit("120000000", OTHER_ID))
    batch = submitted_batch(unit, csv_bytes(batch_rows(national_ids(2))), by=ADMIN_ID)
    spare = make_grant(unit, national_ids(1, letter="G")[0], can_upload=False, can_query=True)
    return Site(cast, batch, cast.clerk_grant, spare, issued_token(unit, ADMIN_ID))


def anonymous(site: Site) -> Client:
    return Client(raise_request_exception=False)


def citizen(site: Site) -> Client:
    client = anonymous(site)
    site.cast.outsider.prove(client)
    assert client.post("/account/login", {"password": PASSWORD}).status_code == 302
    return client


def employer(site: Site) -> Client:
    return employer_login(site.cast.admin, anonymous(site))


def api_token(site: Site) -> Client:
    return Client(raise_request_exception=False, headers=bearer(site.token))


text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=40),
)
json_value: st.SearchStrategy[Any] = st.recursive(
    st.one_of(text, st.integers(), st.floats(), st.booleans(), st.none()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)
fields = st.dictionaries(st.sampled_from(FIELDS), text, min_size=1, max_size=len(FIELDS))
raw_bytes = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"\xff\xfe\x00\x00",
            b"\xed\xa0\x80",  # a lone surrogate, UTF-8 encoded
            b"password=%ff%fe%ed%a0%80&email=\xc3\x28",
            b'{"challenge": "\xed\xa0\x80", "origin": "\xff"}',
            # Deeply nested JSON has its own case: DEEP-JSON in test_security_cases.py.
            b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="../\x00.CSV"'
            b"\r\n\r\n\x00\x00\r\n--xyz--\r\n",
        ]
    ),
)


@dataclass
class Request:
    how: str
    body: Any
    content_type: str = ""


requests = st.one_of(
    st.builds(Request, st.just("form"), fields),
    st.builds(Request, st.just("file"), st.tuples(text, st.binary(max_size=300), fields)),
    st.builds(Request, st.just("json"), st.one_of(fields, json_value)),
    st.builds(Request, st.just("raw"), raw_bytes, st.sampled_from(RAW_CONTENT_TYPES)),
)


def post(client: Client, url: str, request: Request) -> Any:
    if request.how == "form":
        return client.post(url, request.body)
    if request.how == "file":
        name, data, extra = request.body
        # The test client itself refuses names without a last path part ("/", ".."): the server
        # gets such names in the raw multipart samples.
        name = name if Path(name).name not in ("", ".", "..") else "x"
        return client.post(url, {**extra, "file": SimpleUploadedFile(name, data)})
    if request.how == "json":
        return client.post(url, json.dumps(request.body), content_type="application/json")
    # generic() sends the bytes as they are; post() would re-encode them to the declared charset.
    return client.generic("POST", url, request.body, content_type=request.content_type)


IDENTITIES: dict[str, Callable[[Site], Client]] = {
    "anonymous": anonymous,
    "citizen": citizen,
    "employer": employer,
    "api_token": api_token,
}


@pytest.mark.parametrize("identity", IDENTITIES)
def test_hostile_posts_are_never_a_server_error(site: Site, identity: str) -> None:
    urls = all_urls(site)
    assert len(urls) > 60  # the whole project, not only a part of it

    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(request=requests)
    def every_url(request: Request) -> None:
        client = IDENTITIES[identity](site)
        for url in urls:
            status = post(client, url, request).status_code
            assert status < 500, (identity, url, request)

    every_url()
