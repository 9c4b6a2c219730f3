"""A batch's status page, its progress JSON, and the downloads (result log, result CSV)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from cardreg.employers import processing
from cardreg.employers.models import Batch, BatchStatus, InsuranceUnit
from cardreg.employers.testing import (
    add_people,
    add_roster,
    batch_rows,
    csv_bytes,
    national_ids,
    submitted_batch,
)
from cardreg.employers.tests.pages import Cast, employer_login, make_cast, text


@pytest.fixture
def cast(unit: InsuranceUnit, other_unit: InsuranceUnit) -> Cast:
    return make_cast(unit, other_unit)


def clerks_batch(cast: Cast, by: str | None = None) -> Batch:
    """Two insured employees with cards, one not insured, one bad e-mail, uploaded by the
    clerk (or `by`)."""
    ids = national_ids(3)
    add_people(ids)
    add_roster(cast.unit.code, ids[:2])
    rows = [*batch_rows(ids), ("A123456789", "not-an-address", "0912345678", "")]
    national_id = by or cast.clerk.person.national_id
    return submitted_batch(cast.unit, csv_bytes(rows, "cp950"), by=national_id)


def url(batch: Batch, suffix: str = "") -> str:
    return f"/employer/{batch.unit.code}/batches/{batch.pk}{suffix}"


def test_a_waiting_batch_shows_its_status_and_no_downloads_yet(cast: Cast) -> None:
    batch = clerks_batch(cast)
    client = employer_login(cast.clerk)
    response = client.get(url(batch))
    page = text(response)
    assert "處理狀態 已上傳，等待入檔" in page
    assert "已處理 0 筆，共 4 筆" in page
    assert 'id="batch-results" hidden' in response.content.decode()
    assert 'data-progress-url="' + url(batch, "/progress") + '"' in response.content.decode()
    assert "/static/js/batch-progress.js" in response.content.decode()
    assert client.get(url(batch, "/log")).status_code == 404
    assert client.get(url(batch, "/results.csv")).status_code == 404


def test_the_progress_json_follows_the_processing(cast: Cast) -> None:
    batch = clerks_batch(cast)
    client = employer_login(cast.clerk)
    before = client.get(url(batch, "/progress"))
    assert before["Cache-Control"].startswith("max-age=0")
    assert before.json() == {
        "status": "waiting",
        "status_label": "已上傳，等待入檔",
        "processed": 0,
        "total": 4,
        "succeeded": 0,
        "failed": 0,
        "done": False,
    }
    processing.process_next()
    after = client.get(url(batch, "/progress")).json()
    assert after == {
        "status": "done",
        "status_label": "入檔完畢",
        "processed": 4,
        "total": 4,
        "succeeded": 2,
        "failed": 2,
        "done": True,
    }


def test_a_done_batch_shows_its_counts_and_the_downloads(cast: Cast) -> None:
    batch = clerks_batch(cast)
    processing.process_next()
    client = employer_login(cast.clerk)
    response = client.get(url(batch))
    page = text(response)
    assert "處理狀態 入檔完畢" in page
    assert "已處理 4 筆，共 4 筆" in page
    assert "成功筆數 2" in page and "失敗筆數 2" in page
    assert 'id="batch-results" hidden' not in response.content.decode()
    assert "下載入檔結果紀錄檔(log)" in page


@pytest.mark.parametrize(
    ("status", "updates_itself"),
    [
        (BatchStatus.WAITING, True),
        (BatchStatus.PROCESSING, True),
        (BatchStatus.DONE, False),
        (BatchStatus.FAILED, False),
    ],
)
def test_only_an_unfinished_batch_says_its_page_updates_itself(
    cast: Cast, status: str, updates_itself: bool
) -> None:
    batch = clerks_batch(cast)
    Batch.objects.filter(pk=batch.pk).update(status=status, failure_reason="處理中止")
    response = employer_login(cast.clerk).get(url(batch))
    assert ("本頁會自動更新" in text(response)) is updates_itself
    # The script polls (and so may take the note away) only while the batch is unfinished.
    finished = 'data-finished="0"' if updates_itself else 'data-finished="1"'
    assert finished in response.content.decode()


def test_the_log_downloads_as_the_seed_names_and_writes_it(cast: Cast) -> None:
    batch = clerks_batch(cast)
    processing.process_next()
    batch.refresh_from_db()
    response = employer_login(cast.clerk).get(url(batch, "/log"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{batch.log_name}"'
    assert batch.log_name.startswith(batch.file_name.removesuffix(".CSV") + ".")
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    assert len(lines) == 6
    assert "第3筆資料: " in lines[2] and "非該單位在保保險對象，不入檔!" in lines[2]
    assert "第4筆資料: A12345****" in lines[3]
    assert lines[4].endswith("結束執行")
    assert lines[5].endswith("總共上傳4筆,成功註冊2筆,失敗2筆")


def results_of(response: Any) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_result_csv_has_the_rows_with_result_and_reason(cast: Cast) -> None:
    batch = clerks_batch(cast)
    processing.process_next()
    client = employer_login(cast.clerk)
    response = client.get(url(batch, "/results.csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = results_of(response)
    assert rows[0] == ["身分證號", "電子郵件", "行動電話", "聯絡電話", "結果", "原因"]
    assert [row[4] for row in rows[1:]] == ["成功", "成功", "失敗", "失敗"]
    assert rows[3][5] == "非該單位在保保險對象"
    assert rows[4][0] == "A123456789"  # the clerk's own file, as he wrote it
    assert "電子郵件格式不正確" in rows[4][5]


def test_the_result_csv_speaks_the_page_language(cast: Cast) -> None:
    batch = clerks_batch(cast)
    processing.process_next()
    client = employer_login(cast.clerk)
    # The English wording comes from the .po files; the page picks the kept English reason.
    batch.results.filter(row=3).update(reason_en="Not insured by this unit")
    assert results_of(client.get(url(batch, "/results.csv")))[3][5] == "非該單位在保保險對象"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert results_of(client.get(url(batch, "/results.csv")))[3][5] == "Not insured by this unit"


def test_rows_a_failed_batch_never_reached_are_marked(cast: Cast, settings: Any) -> None:
    settings.CARDREG_BATCH_CHUNK_ROWS = 2
    batch = clerks_batch(cast)
    processing.process_next()
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, processed=2)
    batch.results.filter(row__gt=2).delete()
    rows = results_of(employer_login(cast.clerk).get(url(batch, "/results.csv")))
    assert rows[3][4:] == ["失敗", "未處理(處理中止)，請重新上傳此筆資料。"]


def test_a_clerk_sees_only_his_own_batches(cast: Cast) -> None:
    batch = clerks_batch(cast)
    processing.process_next()
    other_clerk = employer_login(cast.clerk2)
    for suffix in ("", "/progress", "/log", "/results.csv"):
        assert other_clerk.get(url(batch, suffix)).status_code == 404, suffix


def test_the_administrator_sees_every_batch_of_the_unit(cast: Cast) -> None:
    batch = clerks_batch(cast)
    processing.process_next()
    admin = employer_login(cast.admin)
    for suffix in ("", "/progress", "/log", "/results.csv"):
        assert admin.get(url(batch, suffix)).status_code == 200, suffix


def test_another_unit_sees_nothing(cast: Cast) -> None:
    batch = clerks_batch(cast)
    processing.process_next()
    other = employer_login(cast.other_admin)
    for suffix in ("", "/progress", "/log", "/results.csv"):
        assert other.get(url(batch, suffix)).status_code == 404, suffix
        own_code = f"/employer/120000000/batches/{batch.pk}{suffix}"
        assert other.get(own_code).status_code == 404, suffix


def test_an_upload_only_clerk_follows_his_own_batch(cast: Cast) -> None:
    batch = clerks_batch(cast, by=cast.upload_only.person.national_id)
    processing.process_next()
    client = employer_login(cast.upload_only)
    assert client.get(url(batch)).status_code == 200
    assert client.get(url(batch, "/log")).status_code == 200


def test_a_revoked_clerk_loses_his_batches_at_once(cast: Cast) -> None:
    batch = clerks_batch(cast)
    client = employer_login(cast.clerk)
    assert client.get(url(batch)).status_code == 200
    cast.clerk_grant.delete()
    assert client.get(url(batch)).status_code == 404
    assert client.get(url(batch, "/progress")).status_code == 404


def test_a_draft_has_no_status_page(cast: Cast) -> None:
    batch = clerks_batch(cast)
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.DRAFT, submitted_at=None)
    client = employer_login(cast.clerk)
    assert client.get(url(batch)).status_code == 404


def test_the_status_page_is_for_those_who_may_upload_or_query(cast: Cast) -> None:
    batch = clerks_batch(cast)
    role = cast.clerk_grant.role
    client = employer_login(cast.clerk)
    role.can_upload = False
    role.save()
    assert client.get(url(batch)).status_code == 200  # query right: his own upload
    assert client.get(url(batch, "/progress")).status_code == 200
