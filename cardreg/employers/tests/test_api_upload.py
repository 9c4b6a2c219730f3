"""Uploading through the API and following the batch to its results and log."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cardreg.employers import processing
from cardreg.employers.api.testing import bearer, issued_token
from cardreg.employers.batches import taipei_now
from cardreg.employers.batchfile import bombs, expected_name
from cardreg.employers.batchlog import read_log
from cardreg.employers.models import Batch, BatchResult, BatchStatus, InsuranceUnit
from cardreg.employers.testing import (
    add_people,
    add_roster,
    batch_rows,
    csv_bytes,
    file_name,
    national_ids,
)
from cardreg.employers.tests.conftest import ADMIN_ID, make_account

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/api/v1/batches"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def upload(
    client: Client, token: str, name: str, data: bytes, **fields: str | SimpleUploadedFile
) -> Any:
    form: dict[str, Any] = {"file": SimpleUploadedFile(name, data), **fields}
    return client.post(LIST, form, headers=bearer(token))


def error(response: Any, status: int, code: str) -> dict[str, str]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body: dict[str, str] = response.json()["error"]
    assert body["code"] == code
    assert body["message"] and body["message_en"]
    return body


@pytest.fixture
def token(unit: InsuranceUnit) -> str:
    """The administrator's token; he has registered (王小明, a@example.tw)."""
    make_account(ADMIN_ID)
    return issued_token(unit, ADMIN_ID)


def test_an_upload_is_processed_and_its_results_and_log_can_be_read(
    client: Client, unit: InsuranceUnit, token: str
) -> None:
    ids = national_ids(5)
    add_people(ids)
    add_roster(unit.code, ids[:3])  # ids[3], ids[4]: not insured by the unit

    response = upload(client, token, file_name(unit), csv_bytes(batch_rows(ids)))

    assert response.status_code == 202
    accepted = response.json()
    assert accepted == {"id": accepted["id"], "status": "waiting"}
    batch_url = f"/api/v1/batches/{accepted['id']}"
    assert response["Location"] == f"http://testserver{batch_url}"
    batch = Batch.objects.get(pk=accepted["id"])
    assert batch.via_api and (batch.contact_name, batch.contact_email) == ("王小明", "a@example.tw")
    waiting = client.get(batch_url, headers=bearer(token)).json()
    assert (waiting["status"], waiting["total"], waiting["finished_at"]) == ("waiting", 5, None)
    assert error(client.get(f"{batch_url}/log", headers=bearer(token)), 409, "not_finished")

    assert processing.process_next() is not None

    done = client.get(batch_url, headers=bearer(token)).json()
    batch.refresh_from_db()
    assert done == {
        "id": batch.pk,
        "file_name": file_name(unit),
        "status": "done",
        "total": 5,
        "processed": 5,
        "succeeded": 3,
        "failed": 2,
        "submitted_at": done["submitted_at"],
        "finished_at": done["finished_at"],
        "failure_reason": None,
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", done["submitted_at"])
    assert done["finished_at"] >= done["submitted_at"]

    results = client.get(f"{batch_url}/results", headers=bearer(token))
    body = results.json()
    assert (body["count"], body["next"]) == (5, None)
    stored = BatchResult.objects.filter(batch=batch).order_by("row")
    assert body["results"] == [
        {
            "row": r.row,
            "national_id_masked": r.national_id_masked,
            "result": "success" if r.ok else "failed",
            "reason": r.reason,
            "reason_en": r.reason_en,
        }
        for r in stored
    ]
    assert [r["result"] for r in body["results"]] == ["success"] * 3 + ["failed"] * 2
    assert body["results"][3]["reason"] == "非該單位在保保險對象"
    assert body["results"][0]["reason"] == ""
    assert all(national_id not in results.content.decode() for national_id in ids)

    log = client.get(f"{batch_url}/log", headers=bearer(token))
    assert log.status_code == 200
    assert log["Content-Type"] == "text/plain; charset=utf-8"
    assert log["Content-Disposition"] == f'attachment; filename="{batch.log_name}"'
    assert log.getvalue() == read_log(bytes(batch.log or b""))


def test_results_are_paged_by_row(client: Client, unit: InsuranceUnit, token: str) -> None:
    ids = national_ids(5)
    upload(client, token, file_name(unit), csv_bytes(batch_rows(ids)))
    processing.process_next()
    url = f"/api/v1/batches/{Batch.objects.get().pk}/results"

    with CaptureQueriesContext(connection) as queries:
        first = client.get(url, {"limit": 2}, headers=bearer(token)).json()
    paged = [q["sql"] for q in queries.captured_queries if "batchresult" in q["sql"].lower()]
    assert len(paged) == 1 and "LIMIT 2" in paged[0]  # a page in SQL, not the batch in Python
    assert [r["row"] for r in first["results"]] == [1, 2]
    assert first["next"] == f"http://testserver{url}?offset=2&limit=2"
    second = client.get(first["next"], headers=bearer(token)).json()
    assert [r["row"] for r in second["results"]] == [3, 4]
    last = client.get(url, {"offset": 4, "limit": 2}, headers=bearer(token)).json()
    assert ([r["row"] for r in last["results"]], last["next"], last["count"]) == ([5], None, 5)
    past = client.get(url, {"offset": 50}, headers=bearer(token)).json()
    assert past["results"] == []
    error(client.get(url, {"limit": 10_001}, headers=bearer(token)), 400, "invalid_parameter")


def test_without_an_account_the_contact_must_be_given(client: Client, unit: InsuranceUnit) -> None:
    token = issued_token(unit, ADMIN_ID)  # the administrator has not registered
    data = csv_bytes(batch_rows(national_ids(1)))
    missing = error(upload(client, token, file_name(unit), data), 400, "contact_required")
    assert "contact_name" in missing["message"] and "contact_name" in missing["message_en"]
    given = {"contact_name": "人資系統", "contact_email": "ｈｒ@example.tw"}
    bad = {**given, "contact_email": "not-an-address"}
    error(upload(client, token, file_name(unit), data, **bad), 400, "invalid_contact_email")
    long = {**given, "contact_name": "名" * 51}
    error(upload(client, token, file_name(unit), data, **long), 400, "invalid_contact_name")

    assert upload(client, token, file_name(unit), data, **given).status_code == 202

    batch = Batch.objects.get()
    assert (batch.contact_name, batch.contact_email) == ("人資系統", "hr@example.tw")
    assert (batch.uploaded_by, batch.uploader_name, batch.status) == (
        ADMIN_ID,
        "人資系統",
        BatchStatus.WAITING,
    )


def test_the_callers_language_goes_to_the_batch(
    client: Client, unit: InsuranceUnit, token: str
) -> None:
    data = csv_bytes(batch_rows(national_ids(1)))
    form = {"file": SimpleUploadedFile(file_name(unit), data)}
    headers = {**bearer(token), "Accept-Language": "en"}
    assert client.post(LIST, form, headers=headers).status_code == 202
    assert Batch.objects.get().language == "en"


def test_a_wrong_file_name_says_todays_name_in_both_languages(
    client: Client, unit: InsuranceUnit, token: str
) -> None:
    body = error(
        upload(client, token, "employees.csv", csv_bytes(batch_rows(national_ids(1)))),
        400,
        "invalid_file_name",
    )
    today = expected_name(unit.code, taipei_now().date())
    assert today in body["message"] and today in body["message_en"]
    assert "檔名" in body["message"] and body["message_en"] != body["message"]
    assert not Batch.objects.exists()


def test_a_binary_file_renamed_to_csv_is_refused(
    client: Client, unit: InsuranceUnit, token: str
) -> None:
    body = error(upload(client, token, file_name(unit), PNG), 400, "invalid_file")
    assert "圖片" in body["message"]
    assert "CSV" in body["message_en"] and body["message_en"] != body["message"]
    assert not Batch.objects.exists()


def test_a_file_over_the_limit_is_413(
    client: Client, unit: InsuranceUnit, token: str, settings: Any
) -> None:
    settings.CARDREG_BATCH_MAX_BYTES = 100
    data = csv_bytes(batch_rows(national_ids(5)))
    assert len(data) > 100
    error(upload(client, token, file_name(unit), data), 413, "file_too_large")
    # A body far over the limit is refused from its Content-Length, before it is parsed.
    error(upload(client, token, file_name(unit), data * 1000), 413, "file_too_large")
    assert not Batch.objects.exists()


def test_a_request_without_the_file_is_400(client: Client, unit: InsuranceUnit, token: str) -> None:
    error(client.post(LIST, {"contact_name": "x"}, headers=bearer(token)), 400, "file_required")
    as_json = client.post(
        LIST, {"file": "x"}, content_type="application/json", headers=bearer(token)
    )
    error(as_json, 400, "file_required")
    broken = client.post(
        LIST, b"--x\r\n", content_type="multipart/form-data", headers=bearer(token)
    )
    error(broken, 400, "unreadable_request")


def test_a_failed_batch_says_why_in_both_languages(
    client: Client, unit: InsuranceUnit, token: str
) -> None:
    upload(client, token, file_name(unit), csv_bytes(batch_rows(national_ids(1))))
    Batch.objects.update(
        status=BatchStatus.FAILED, failure_reason="處理中斷", failure_reason_en="Interrupted"
    )
    body = client.get(f"/api/v1/batches/{Batch.objects.get().pk}", headers=bearer(token)).json()
    assert body["status"] == "failed"
    assert body["failure_reason"] == {"message": "處理中斷", "message_en": "Interrupted"}


def test_an_xlsx_zip_bomb_is_refused_at_once(
    client: Client, unit: InsuranceUnit, token: str
) -> None:
    bomb = bombs.empty_cell_bomb(190, cells_per_row=16)
    started = time.monotonic()
    response = upload(client, token, file_name(unit).replace(".CSV", ".xlsx"), bomb)
    assert time.monotonic() - started < 2
    body = error(response, 400, "invalid_file")
    assert "空白儲存格遠多於資料" in body["message"]
    assert "far more empty cells than data" in body["message_en"]
    assert not Batch.objects.exists()
