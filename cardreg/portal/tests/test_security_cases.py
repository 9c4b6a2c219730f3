"""The standing security regression suite (``pytest -m security``): every automatable case of the
outside security test, by a short id. A case is tested here, or in the test the catalogue points
at, which must exist, so that renaming or deleting it fails here instead of silently."""

from __future__ import annotations

import ast
import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from cardreg.employers.api.testing import bearer, issued_token
from cardreg.employers.models import Batch, InsuranceUnit
from cardreg.employers.testing import batch_rows, csv_bytes, file_name, national_ids
from cardreg.employers.tests.conftest import ADMIN_ID, OTHER_ID, make_account, make_unit
from cardreg.employers.tests.pages import Cast, employer_login, make_cast

pytestmark = pytest.mark.security

ROOT = Path(__file__).resolve().parents[3]
ORIGIN = "http://testserver"
BAD_SIGNATURE = base64.b64encode(bytes(64)).decode()


@dataclass(frozen=True)
class Case:
    id: str
    attack: str
    test: str  # "path::function" of the test that holds the case; "here" for this module's


CASES = [
    # Enumeration: the answer must not tell whether a card, account or unit exists.
    Case("ENUM-LOGIN", "citizen login: unknown card vs wrong password",
         "cardreg/accounts/tests/test_login.py::test_unknown_card_and_wrong_password_get_the_same_answer"),
    Case("ENUM-EMPLOYER-LOGIN", "employer login: unregistered card",
         "cardreg/employers/tests/test_pages_login.py::test_an_unregistered_card_gets_the_same_answer"),
    Case("ENUM-UNIT", "employer portal: another unit vs an unknown unit code",
         "cardreg/employers/tests/test_pages_login.py::test_another_unit_and_an_unknown_unit_look_the_same"),
    Case("ENUM-FORGOT", "forgot password: active, pending and unknown cards",
         "cardreg/accounts/tests/test_forgot.py::test_the_answer_is_the_same_for_active_pending_and_unknown_cards"),
    Case("ENUM-RESEND", "resend confirmation: expired account vs unknown card",
         "cardreg/accounts/tests/test_resend_after_expiry.py::test_past_the_period_the_answer_is_honest_and_the_same_as_for_an_unknown_card"),
    Case("ENUM-CARD-BODY", "card verify: random signature, unknown vs known card number",
         "cardreg/cards/tests/test_card_proof.py::test_a_random_signature_tells_nothing_about_the_card_number"),
    Case("ENUM-CARD-TIMING", "card verify: an unknown card costs the same signature check",
         "cardreg/cards/tests/test_card_proof.py::test_an_unknown_card_costs_the_same_signature_check"),
    Case("ENUM-PASSKEY", "passkey sign-in: revoked, unknown, inactive",
         "cardreg/devices/tests/test_signin.py::test_revoked_unknown_and_inactive_get_the_same_answer"),
    # Throttles, and headers a client can forge.
    Case("THROTTLE-LOGIN-XFF", "login throttle: forged X-Forwarded-For without trusted proxies",
         "cardreg/accounts/tests/test_login_behind_proxy.py::test_without_trusted_proxies_a_forged_header_changes_nothing"),
    Case("THROTTLE-LOGIN-DELAY", "login: failures bring growing delays",
         "cardreg/accounts/tests/test_login.py::test_failures_bring_growing_delays_not_a_lock"),
    Case("THROTTLE-CARD-SESSIONS", "card verify: fresh sessions from one address",
         "cardreg/cards/tests/test_card_proof_throttle.py::test_new_sessions_from_one_address_are_throttled_together"),
    Case("THROTTLE-CARD-XFF", "card verify: fresh sessions each with a forged X-Forwarded-For",
         "here"),
    Case("THROTTLE-FORGOT", "reset mails are limited per card",
         "cardreg/accounts/tests/test_forgot.py::test_reset_requests_are_limited_per_card"),
    # Token misuse.
    Case("TOKEN-REVOKED", "API: a revoked bearer token",
         "cardreg/employers/tests/test_api_access.py::test_a_revoked_token_is_401"),
    Case("TOKEN-UNKNOWN", "API: unknown and 5000-character tokens",
         "cardreg/employers/tests/test_api_access.py::test_an_unknown_token_is_401_invalid_token"),
    Case("TOKEN-QUERY", "API: a valid token in the query string instead of the header", "here"),
    Case("TOKEN-LINK-USED", "mailed reset link used twice",
         "cardreg/accounts/tests/test_forgot.py::test_a_used_link_points_to_forgot_again"),
    Case("TOKEN-LINK-OTHER-CARD", "mailed reset link used with another card",
         "cardreg/accounts/tests/test_forgot.py::test_another_card_cannot_use_the_link"),
    Case("TOKEN-LINK-KIND", "a confirmation token handed in as a reset token",
         "cardreg/accounts/tests/test_forgot.py::test_a_confirmation_token_is_no_reset_token"),
    Case("TOKEN-ACTIVATE-OTHER-CARD", "activation link used with another card",
         "cardreg/accounts/tests/test_activate.py::test_another_card_is_refused_audited_and_changes_nothing"),
    Case("TOKEN-PROOF-REPLAY", "card proof: a replayed challenge",
         "cardreg/cards/tests/test_card_proof.py::test_a_replayed_challenge_is_refused"),
    Case("TOKEN-PROOF-ORIGIN", "card proof signed for another origin",
         "cardreg/cards/tests/test_card_proof.py::test_a_signature_for_another_origin_is_refused"),
    Case("TOKEN-PROOF-SESSION", "card proof: a challenge from another session",
         "cardreg/cards/tests/test_card_proof.py::test_a_challenge_from_another_session_is_refused"),
    Case("TOKEN-PASSKEY-BIND-STALE", "passkey binding with an old card session",
         "cardreg/devices/tests/test_bind_recent_card.py::test_a_20_minute_old_card_session_cannot_bind_until_the_card_is_read"),
    # Cross-unit and cross-clerk access.
    Case("CROSS-UNIT-PAGES", "another unit's batch, progress, log, results on pages",
         "cardreg/employers/tests/test_pages_batches.py::test_another_unit_sees_nothing"),
    Case("CROSS-CLERK-PAGES", "another clerk's batch, progress, log, results on pages",
         "cardreg/employers/tests/test_pages_batches.py::test_a_clerk_sees_only_his_own_batches"),
    Case("CROSS-CLERK-DRAFT", "another clerk's upload draft",
         "cardreg/employers/tests/test_pages_upload.py::test_a_draft_is_its_uploaders_own"),
    Case("CROSS-UNIT-API", "another unit's batch, results, log through the API",
         "cardreg/employers/tests/test_api_access.py::test_another_units_upload_is_not_found"),
    Case("CROSS-CLERK-API", "another clerk's batches through the API",
         "cardreg/employers/tests/test_api_access.py::test_a_clerk_sees_only_his_own_uploads"),
    Case("CROSS-UNIT-ROLES", "another unit's administrator on the role pages",
         "cardreg/employers/tests/test_pages_roles.py::test_another_units_administrator_reaches_nothing"),
    Case("CROSS-ACCOUNT-DEVICE", "another account's passkey device",
         "cardreg/devices/tests/test_manage.py::test_another_accounts_device_is_not_found"),
    # Hostile files.
    Case("FILE-XLSX-BOMB-PAGE", "xlsx zip bomb through the upload page",
         "cardreg/employers/tests/test_pages_upload.py::test_an_xlsx_zip_bomb_is_refused_at_once_and_the_portal_keeps_answering"),
    Case("FILE-XLSX-BOMB-API", "xlsx zip bomb through the API",
         "cardreg/employers/tests/test_api_upload.py::test_an_xlsx_zip_bomb_is_refused_at_once"),
    Case("FILE-OVERSIZE-PAGE", "a body declared over the limit on the upload page",
         "cardreg/employers/tests/test_pages_upload.py::test_a_body_declared_over_the_limit_is_413_before_reading_it"),
    Case("FILE-OVERSIZE-API", "a file over the limit through the API",
         "cardreg/employers/tests/test_api_upload.py::test_a_file_over_the_limit_is_413"),
    Case("FILE-BINARY", "a binary file renamed to .CSV",
         "cardreg/employers/tests/test_api_upload.py::test_a_binary_file_renamed_to_csv_is_refused"),
    Case("FILE-NUL", "NUL bytes inside a CSV",
         "cardreg/employers/tests/test_batchfile_reading.py::test_nul_bytes_make_a_csv_binary"),
    Case("FILE-FORMULA-READ", "formula cells in the upload are read as text",
         "cardreg/employers/tests/test_batchfile_reading.py::test_formula_like_cells_are_read_as_plain_text"),
    Case("FILE-FORMULA-RESULT", "formula cells are escaped in the result CSV",
         "cardreg/employers/tests/test_batchfile_result_csv.py::test_protected_cells_never_start_a_formula_and_unprotect_exactly"),
    Case("FILE-UTF16", "a UTF-16 CSV through the API", "here"),
    Case("FILE-PATH-NAMES", "path, NUL and RTL-override file names, page and API", "here"),
    Case("FILE-FULL-ID", "no full national ID in what a batch gives back",
         "cardreg/employers/tests/test_pages_upload.py::test_a_fixable_id_is_explained_without_the_full_id"),
    Case("FILE-CSRF", "the upload page without its CSRF token",
         "cardreg/employers/tests/test_pages_upload.py::test_the_upload_still_needs_its_csrf_token"),
    Case("INPUT-NUL-REGISTER", "a NUL character in a household register lookup",
         "cardreg/registry/tests/test_local_household_register.py::test_a_nul_character_is_a_mismatch_not_a_database_error"),
    Case("INPUT-MALFORMED-PROOF", "malformed card proofs",
         "cardreg/cards/tests/test_card_proof.py::test_malformed_proofs_get_a_clear_code_not_a_500"),
    Case("INPUT-DEEP-JSON", "deeply nested JSON bodies to the JSON endpoints", "here"),
    # The card agent on the user's own computer.
    Case("AGENT-ORIGIN", "agent: a foreign Origin gets 403 and no CORS header",
         "agent/tests/test_http_security.py::test_foreign_origin_is_403_without_any_cors_header"),
    Case("AGENT-HOST", "agent: a Host other than loopback with its port (DNS rebinding)",
         "agent/tests/test_http_security.py::test_host_must_be_loopback_with_our_port"),
    Case("AGENT-SIGN-ORIGIN", "agent: signing for an origin other than the requesting page",
         "agent/tests/test_http_card.py::test_sign_origin_must_be_the_requesting_page"),
    Case("AGENT-WILDCARD", "agent: serving a wildcard origin or a public address",
         "agent/tests/test_cli.py::test_serve_refuses_a_wildcard_origin"),
    # Response headers.
    Case("HEADERS-PAGES-API", "CSP, frame, sniffing, referrer and caching headers", "here"),
    Case("HEADERS-CSP", "the content security policy's directives",
         "cardreg/portal/tests/test_pages.py::test_pages_carry_a_content_security_policy"),
    Case("HEADERS-HSTS", "HSTS behind a TLS proxy",
         "cardreg/portal/tests/test_https_settings.py::test_behind_a_tls_proxy_https_requests_are_served_with_hsts"),
]  # fmt: skip

HERE = Path(__file__).name


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_case_is_held_by_an_existing_test(case: Case) -> None:
    if case.test == "here":
        name = "test_" + case.id.lower().replace("-", "_")
        assert name in defined_tests(Path(__file__)), f"{case.id}: no {name} in {HERE}"
        return
    path, name = case.test.split("::")
    assert (ROOT / path).is_file(), f"{case.id}: {path} is gone"
    assert name in defined_tests(ROOT / path), f"{case.id}: {name} is gone from {path}"


# The cases held here -------------------------------------------------------------------------


def probe(client: Client) -> Any:
    challenge = client.post("/cards/challenge")
    if challenge.status_code != 200:
        return challenge
    fields = {
        "challenge": challenge.json()["challenge"],
        "origin": ORIGIN,
        "card_number": "000011112222",
        "signature": BAD_SIGNATURE,
    }
    return client.post("/cards/verify", fields, content_type="application/json")


def test_throttle_card_xff(settings: Any, db: None) -> None:
    settings.CARDREG_CARD_PROOF_FAILURES_PER_IP = 5
    settings.CARDREG_TRUSTED_PROXIES = []
    for n in range(5):
        forged = Client(headers={"X-Forwarded-For": f"198.51.100.{n}", "X-Real-IP": f"10.{n}.0.1"})
        assert probe(forged).status_code == 403
    assert probe(Client(headers={"X-Forwarded-For": "203.0.113.99"})).status_code == 429


@pytest.fixture
def unit(db: None) -> InsuranceUnit:
    return make_unit()


@pytest.fixture
def other_unit(db: None) -> InsuranceUnit:
    return make_unit("120000000", OTHER_ID)


@pytest.fixture
def token(unit: InsuranceUnit) -> str:
    make_account(ADMIN_ID)
    return issued_token(unit, ADMIN_ID)


def test_token_query(client: Client, token: str) -> None:
    assert client.get("/api/v1/batches", headers=bearer(token)).status_code == 200
    for name in ("access_token", "token", "bearer"):
        response = client.get("/api/v1/batches", {name: token})
        assert response.status_code == 401, name
        assert response.json()["error"]["code"] == "missing_token"


BOUNDARY = "securitycase"


def multipart(name: str, data: bytes, **fields: str) -> bytes:
    """The form as a browser or script sends it, the file name as given: the test client's own
    encoding would keep only its last path part, so the server would never see the attack."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
    parts.append(head.encode() + b"Content-Type: text/csv\r\n\r\n" + data + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post_file(client: Client, url: str, name: str, data: bytes, **fields: str) -> Any:
    body = multipart(name, data, **fields)
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    return client.generic("POST", url, body, content_type=content_type)


def api_upload(client: Client, token: str, name: str, data: bytes) -> Any:
    client.defaults.update({"HTTP_AUTHORIZATION": bearer(token)["Authorization"]})
    return post_file(client, "/api/v1/batches", name, data)


def test_file_utf16(client: Client, unit: InsuranceUnit, token: str) -> None:
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        data = csv_bytes(batch_rows(national_ids(2)), encoding=encoding)
        response = api_upload(client, token, file_name(unit), data)
        assert response.status_code == 400, (encoding, response.content)
        assert response.json()["error"]["code"] == "invalid_file"
    assert not Batch.objects.exists()


HOSTILE_NAMES = [
    "../../{name}",
    "..\\..\\{name}",
    "/etc/{name}",
    "C:\\Windows\\{name}",
    "{name}\x00.png",
    "\u202e{name}",
    "{stem}\u202eVSC.exe",
    "{name}\u200b",
    "ＣＳＶ{name}",
]


def hostile_names(unit: InsuranceUnit) -> list[str]:
    name = file_name(unit)
    return [n.format(name=name, stem=name.removesuffix(".CSV")) for n in HOSTILE_NAMES]


def test_file_path_names(client: Client, unit: InsuranceUnit, token: str) -> None:
    data = csv_bytes(batch_rows(national_ids(2)))
    for name in hostile_names(unit):
        response = api_upload(client, token, name, data)
        assert response.status_code < 500, (name, response.content)
        if response.status_code == 202:
            # Django keeps only the last path part: what is kept must be the plain expected name.
            assert Batch.objects.get().file_name == file_name(unit), name
            Batch.objects.all().delete()
        else:
            assert response.status_code == 400, (name, response.content)
    assert not Batch.objects.filter(file_name__contains="..").exists()


@pytest.fixture
def cast(unit: InsuranceUnit, other_unit: InsuranceUnit) -> Cast:
    return make_cast(unit, other_unit)


def test_file_path_names_on_the_page(cast: Cast) -> None:
    clerk = employer_login(cast.clerk)
    data = csv_bytes(batch_rows(national_ids(2)))
    for name in hostile_names(cast.unit):
        url = f"/employer/{cast.unit.code}/upload"
        response = post_file(clerk, url, name, data, contact_email="clerk@example.tw")
        assert response.status_code in (200, 302, 400), (name, response.status_code)
    assert not Batch.objects.exclude(file_name=file_name(cast.unit)).exists()


SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def test_headers_pages_api(cast: Cast) -> None:
    token = issued_token(cast.unit, ADMIN_ID)
    clerk = employer_login(cast.clerk)
    responses = {
        "home": Client().get("/"),
        "not found": Client().get("/no-such-page"),
        "employer": clerk.get(f"/employer/{cast.unit.code}/batches"),
        "api": Client().get("/api/v1/batches", headers=bearer(token)),
        "api 401": Client().get("/api/v1/batches"),
    }
    for what, response in responses.items():
        for header, value in SECURITY_HEADERS.items():
            assert response.get(header) == value, (what, header, response.get(header))
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], what


JSON_ENDPOINTS = [
    "/cards/challenge",
    "/cards/verify",  # found by this suite: a RecursionError was answered 500 (9901)
    "/account/devices/bind/options",
    "/account/devices/bind/verify",
    "/account/devices/signin/options",
    "/account/devices/signin/verify",
    "/api/v1/batches",
]


@pytest.mark.parametrize("url", JSON_ENDPOINTS)
@pytest.mark.parametrize(
    "body", [b'{"a": ' * 5000, b"[" * 100_000, b'{"challenge": ' + b"[" * 5000 + b"]" * 5000 + b"}"]
)
def test_input_deep_json(db: None, url: str, body: bytes) -> None:
    client = Client(raise_request_exception=False)
    assert client.generic("POST", url, body, content_type="application/json").status_code < 500
