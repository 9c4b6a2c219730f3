"""The API's gate, case by case: the token, the person's rights now, who sees which upload."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cardreg.employers.actions import revoke_api_token
from cardreg.employers.api import views
from cardreg.employers.api.testing import bearer, issued_token, raw_token
from cardreg.employers.models import ApiToken, Batch, InsuranceUnit, RoleGrant
from cardreg.employers.testing import batch_rows, csv_bytes, national_ids, submitted_batch
from cardreg.employers.tests.conftest import ADMIN_ID, CLERK_ID, OTHER_ID, make_account, make_grant

SECOND_CLERK = "C100000012"
LIST = "/api/v1/batches"


def batch_by(unit: InsuranceUnit, national_id: str) -> Batch:
    return submitted_batch(unit, csv_bytes(batch_rows(national_ids(2))), by=national_id)


def urls(batch: Batch) -> list[str]:
    base = f"/api/v1/batches/{batch.pk}"
    return [base, f"{base}/results", f"{base}/log"]


def get(client: Client, url: str, token: str, **params: Any) -> Any:
    return client.get(url, params, headers=bearer(token))


def error_code(response: Any) -> str:
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["message"] and error["message_en"]
    return str(error["code"])


def listed(client: Client, token: str) -> set[int]:
    response = get(client, LIST, token)
    assert response.status_code == 200
    return {item["id"] for item in response.json()["batches"]}


@pytest.fixture
def clerks(unit: InsuranceUnit) -> tuple[str, str]:
    """Two clerks of the unit with both rights: their tokens."""
    make_grant(unit, CLERK_ID, can_upload=True, can_query=True)
    make_grant(unit, SECOND_CLERK, can_upload=True, can_query=True)
    return issued_token(unit, CLERK_ID), issued_token(unit, SECOND_CLERK)


def test_no_token_is_401_with_the_bearer_challenge(client: Client, unit: InsuranceUnit) -> None:
    response = client.get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="cardreg"'
    assert error_code(response) == "missing_token"
    assert client.get(LIST, headers={"Authorization": "Basic eDp5"}).status_code == 401


def test_an_unknown_token_is_401_invalid_token(client: Client, unit: InsuranceUnit) -> None:
    for token in ("nope", "x" * 5000):
        response = get(client, LIST, token)
        assert response.status_code == 401
        assert 'error="invalid_token"' in response["WWW-Authenticate"]
        assert error_code(response) == "invalid_token"


def test_a_revoked_token_is_401(client: Client, unit: InsuranceUnit) -> None:
    token = issued_token(unit, ADMIN_ID)
    assert get(client, LIST, token).status_code == 200
    revoke_api_token(ApiToken.objects.get(), by=None)
    assert get(client, LIST, token).status_code == 401


def test_a_clerk_sees_only_his_own_uploads(
    client: Client, unit: InsuranceUnit, clerks: tuple[str, str]
) -> None:
    mine, theirs = batch_by(unit, CLERK_ID), batch_by(unit, SECOND_CLERK)
    own_token, other_token = clerks
    assert listed(client, own_token) == {mine.pk}
    assert listed(client, other_token) == {theirs.pk}
    for url in urls(theirs):
        response = get(client, url, own_token)
        assert response.status_code == 404
        assert error_code(response) == "not_found"
    assert get(client, urls(mine)[0], own_token).json()["id"] == mine.pk


def test_the_administrator_sees_every_upload_of_the_unit(
    client: Client, unit: InsuranceUnit, clerks: tuple[str, str]
) -> None:
    batches = [batch_by(unit, CLERK_ID), batch_by(unit, SECOND_CLERK), batch_by(unit, ADMIN_ID)]
    token = issued_token(unit, ADMIN_ID)
    assert listed(client, token) == {batch.pk for batch in batches}
    for batch in batches:
        assert get(client, urls(batch)[0], token).status_code == 200
        assert get(client, urls(batch)[1], token).status_code == 200


def test_another_units_upload_is_not_found(
    client: Client, unit: InsuranceUnit, other_unit: InsuranceUnit
) -> None:
    batch = batch_by(unit, ADMIN_ID)
    token = issued_token(other_unit, OTHER_ID)
    assert listed(client, token) == set()
    for url in urls(batch):
        assert get(client, url, token).status_code == 404


def test_a_revoked_grant_is_refused_on_the_next_request(
    client: Client, unit: InsuranceUnit, clerks: tuple[str, str]
) -> None:
    token = clerks[0]
    assert get(client, LIST, token).status_code == 200
    RoleGrant.objects.filter(national_id=CLERK_ID).delete()  # the token itself stays active
    response = get(client, LIST, token)
    assert response.status_code == 403
    assert error_code(response) == "no_access"


def test_a_query_only_token_reads_but_cannot_upload(client: Client, unit: InsuranceUnit) -> None:
    make_grant(unit, CLERK_ID, can_upload=False, can_query=True)
    token = raw_token(unit, CLERK_ID)
    assert get(client, LIST, token).status_code == 200
    response = client.post(LIST, {"contact_name": "x"}, headers=bearer(token))
    assert response.status_code == 403
    assert error_code(response) == "missing_right"
    assert Batch.objects.count() == 0


def test_an_upload_only_token_reads_its_own_uploads(client: Client, unit: InsuranceUnit) -> None:
    make_grant(unit, CLERK_ID, can_upload=True, can_query=False)
    token = issued_token(unit, CLERK_ID)
    mine, admins = batch_by(unit, CLERK_ID), batch_by(unit, ADMIN_ID)
    assert get(client, urls(mine)[0], token).status_code == 200
    assert get(client, urls(mine)[1], token).status_code == 200
    assert get(client, urls(admins)[0], token).status_code == 404


def test_a_logged_in_session_is_no_api_login(client: Client, unit: InsuranceUnit) -> None:
    client.force_login(make_account(ADMIN_ID))
    assert client.get(LIST).status_code == 401


def test_the_api_needs_no_csrf_token(unit: InsuranceUnit) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(LIST, {}, headers=bearer(issued_token(unit, ADMIN_ID)))
    assert response.status_code == 400  # the missing file, not CSRF's HTML 403
    assert error_code(response) == "file_required"


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("delete", LIST, 405, "method_not_allowed"),
        ("put", "/api/v1/batches/1", 405, "method_not_allowed"),
        ("get", "/api/v1/nothing", 404, "not_found"),
        ("get", "/api/v1/batches/abc", 404, "not_found"),
        ("get", "/api/v1/batches/", 404, "not_found"),
        ("get", "/api/v1/batches/99999999999999999999999", 404, "not_found"),
        ("get", "/api/v1/batches/1/results?limit=0", 404, "not_found"),  # no batch 1 first
        ("get", f"{LIST}?limit=1001", 400, "invalid_parameter"),
        ("get", f"{LIST}?offset=-1", 400, "invalid_parameter"),
        ("get", f"{LIST}?offset=1e3", 400, "invalid_parameter"),
    ],
)
def test_every_error_is_json(
    client: Client, unit: InsuranceUnit, method: str, url: str, status: int, code: str
) -> None:
    response = getattr(client, method)(url, headers=bearer(issued_token(unit, ADMIN_ID)))
    assert response.status_code == status
    assert error_code(response) == code
    if status == 405:
        assert response["Allow"] in ("GET, POST", "GET")


def test_responses_are_not_cached(client: Client, unit: InsuranceUnit) -> None:
    assert get(client, LIST, issued_token(unit, ADMIN_ID))["Cache-Control"] == "no-store"
    assert client.get(LIST)["Cache-Control"] == "no-store"


def test_the_list_is_paged_newest_first(client: Client, unit: InsuranceUnit) -> None:
    made = [batch_by(unit, ADMIN_ID) for _ in range(3)]
    token = issued_token(unit, ADMIN_ID)
    first = get(client, LIST, token, limit=2).json()
    assert first["count"] == 3
    assert [item["id"] for item in first["batches"]] == [made[2].pk, made[1].pk]
    assert first["next"] == "http://testserver/api/v1/batches?offset=2&limit=2"
    second = client.get(first["next"], headers=bearer(token)).json()
    assert [item["id"] for item in second["batches"]] == [made[0].pk]
    assert second["next"] is None


def test_a_bug_is_a_json_500(
    unit: InsuranceUnit, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(views, "get_visible_batch", broken)
    client = Client(raise_request_exception=False)
    response = get(client, "/api/v1/batches/1", issued_token(unit, ADMIN_ID))
    assert response.status_code == 500
    assert error_code(response) == "internal_error"
    assert "API GET /api/v1/batches/1 failed" in caplog.text
