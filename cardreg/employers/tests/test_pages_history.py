"""健保卡註冊申請上傳紀錄查詢: filters, the nine columns, paging, and who sees which rows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from cardreg.employers import processing
from cardreg.employers.models import Batch, BatchStatus, InsuranceUnit
from cardreg.employers.testing import batch_rows, csv_bytes, national_ids, submitted_batch
from cardreg.employers.tests.pages import Cast, employer_login, make_cast, text

HISTORY = "/employer/133397421/batches"
COLUMNS = (
    "上傳檔名",
    "聯絡人",
    "上傳時間",
    "上傳筆數",
    "成功筆數",
    "失敗筆數",
    "處理狀態",
    "入檔結果",
    "上傳人員",
)


@pytest.fixture
def cast(unit: InsuranceUnit, other_unit: InsuranceUnit) -> Cast:
    return make_cast(unit, other_unit)


def upload(cast: Cast, by: str, rows: int = 2, **fields: Any) -> Batch:
    data = csv_bytes(batch_rows(national_ids(rows, start=Batch.objects.count() * 10)))
    batch = submitted_batch(cast.unit, data, by=by)
    if fields:
        Batch.objects.filter(pk=batch.pk).update(**fields)
        batch.refresh_from_db()
    return batch


def taipei(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """A moment of `day` in Asia/Taipei."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def table_rows(response: Any) -> list[list[str]]:
    """The history table's rows as the cells' texts."""
    content = response.content.decode()
    if 'id="history-table"' not in content:
        return []
    body = content.split('id="history-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in rows
    ]


def test_the_page_has_the_seeds_filters_and_hint(cast: Cast) -> None:
    response = employer_login(cast.admin).get(HISTORY)
    assert response.status_code == 200
    page = text(response)
    assert "健保卡註冊申請上傳紀錄查詢" in page
    assert 'id="id_unit" value="133397421" readonly' in response.content.decode()
    assert "上傳日期" in page and "輸入格式如：民國105年9月1日，請輸入民國1050901" in page
    assert "處理狀態 已上傳，等待入檔 入檔完畢 全部" in page
    assert 'id="status-all" value="all" checked' in response.content.decode()
    assert "查詢" in page and "清除" in page
    assert "【共0筆資料】【1/1頁】" in page


def test_a_row_shows_the_nine_columns(cast: Cast) -> None:
    clerk_id = cast.clerk.person.national_id
    batch = upload(cast, clerk_id, rows=3, submitted_at=timezone.now() - dt.timedelta(days=1))
    processing.process_next()
    batch.refresh_from_db()
    response = employer_login(cast.clerk).get(HISTORY)
    page = text(response)
    for column in COLUMNS:
        assert column in page
    assert "【共1筆資料】【1/1頁】" in page
    local = timezone.localtime(batch.submitted_at)
    roc = f"{local.year - 1911:03d}/{local:%m/%d %H:%M:%S}"
    assert table_rows(response) == [
        [batch.file_name, "王承辦", roc, "3", "0", "3", "入檔完畢", batch.log_name, "王承辦"]
    ]
    content = response.content.decode()
    assert f'href="{HISTORY}/{batch.pk}/log"' in content
    assert f'href="{HISTORY}/{batch.pk}"' in content


def test_a_waiting_row_has_no_log_yet(cast: Cast) -> None:
    upload(cast, cast.clerk.person.national_id)
    [row] = table_rows(employer_login(cast.clerk).get(HISTORY))
    assert row[6:8] == ["已上傳，等待入檔", "—"]


def test_a_clerk_sees_his_own_uploads_and_the_administrator_all(cast: Cast) -> None:
    mine = upload(cast, cast.clerk.person.national_id, rows=1)
    upload(cast, cast.clerk2.person.national_id, rows=2)
    upload(cast, cast.admin.person.national_id, rows=3)
    clerk_rows = table_rows(employer_login(cast.clerk).get(HISTORY))
    assert [row[0] for row in clerk_rows] == [mine.file_name]
    assert [row[3] for row in clerk_rows] == ["1"]
    assert [row[3] for row in table_rows(employer_login(cast.clerk2).get(HISTORY))] == ["2"]
    admin_page = employer_login(cast.admin).get(HISTORY)
    assert sorted(row[3] for row in table_rows(admin_page)) == ["1", "2", "3"]
    assert "【共3筆資料】" in text(admin_page)


def test_another_unit_and_old_uploads_are_not_listed(cast: Cast) -> None:
    upload(cast, cast.clerk.person.national_id, submitted_at=timezone.now() - dt.timedelta(days=93))
    Batch.objects.create(
        unit=cast.other_unit,
        uploaded_by=cast.other_admin.person.national_id,
        uploader_name="吳他單位",
        contact_name="吳他單位",
        contact_email="o@example.tw",
        language="zh-hant",
        file_name="x.CSV",
        content=b"",
        status=BatchStatus.WAITING,
        submitted_at=timezone.now(),
    )
    assert table_rows(employer_login(cast.admin).get(HISTORY)) == []
    other_client = employer_login(cast.other_admin)
    assert len(table_rows(other_client.get("/employer/120000000/batches"))) == 1
    assert other_client.get(HISTORY).status_code == 404


def test_the_query_right_is_needed(cast: Cast) -> None:
    response = employer_login(cast.upload_only).get(HISTORY)
    assert response.status_code == 403
    assert "健保卡註冊查詢" in text(response)
    assert employer_login(cast.query_only).get(HISTORY).status_code == 200


def test_a_revoked_clerk_is_refused_on_his_next_request(cast: Cast) -> None:
    client = employer_login(cast.clerk)
    assert client.get(HISTORY).status_code == 200
    cast.clerk_grant.delete()
    assert client.get(HISTORY).status_code == 404


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "1051301"}, "date_from", "這個日期不存在"),
        ({"date_from": "abc"}, "date_from", "日期格式不正確"),
        ({"date_to": "20160901"}, "date_to", "這看起來是西元年"),
        (
            {"date_from": "1150301", "date_to": "1150201"},
            "date_to",
            "上傳日期的起日不可晚於迄日，請對調或修改。",
        ),
    ],
)
def test_bad_dates_are_explained(
    cast: Cast, params: dict[str, str], field: str, message: str
) -> None:
    upload(cast, cast.clerk.person.national_id)
    response = employer_login(cast.clerk).get(HISTORY, params)
    assert response.status_code == 400
    error = response.content.decode().split(f'id="id_{field}-error">')[1].split("<")[0]
    assert message in error
    assert table_rows(response) == []
    for name, value in params.items():  # kept to correct
        assert f'name="{name}" maxlength="20" inputmode="numeric" value="{value}"' in (
            response.content.decode()
        )


def test_the_dates_filter_by_the_taipei_day(cast: Cast) -> None:
    clerk_id = cast.clerk.person.national_id
    now = timezone.localtime()
    day = now.date() - dt.timedelta(days=10)
    early = upload(cast, clerk_id, submitted_at=taipei(day, 0, 5))
    late = upload(cast, clerk_id, submitted_at=taipei(day, 23, 55))
    upload(
        cast,
        clerk_id,
        submitted_at=taipei(day, 0, 5) - dt.timedelta(minutes=10),
    )
    roc = f"{day.year - 1911:03d}{day:%m%d}"
    client = employer_login(cast.clerk)
    rows = table_rows(client.get(HISTORY, {"date_from": roc, "date_to": roc}))
    assert sorted(row[0] for row in rows) == sorted([early.file_name, late.file_name])
    assert len(rows) == 2
    assert len(table_rows(client.get(HISTORY, {"date_from": roc}))) == 2
    assert len(table_rows(client.get(HISTORY, {"date_to": roc}))) == 3
    slashed = f"{day.year - 1911}/{day.month}/{day.day}"  # 105/9/1 is understood too
    assert len(table_rows(client.get(HISTORY, {"date_from": slashed, "date_to": slashed}))) == 2


def test_the_status_filter(cast: Cast) -> None:
    clerk_id = cast.clerk.person.national_id
    statuses = [BatchStatus.WAITING, BatchStatus.PROCESSING, BatchStatus.DONE, BatchStatus.FAILED]
    batches = {status: upload(cast, clerk_id, status=status) for status in statuses}
    assert len(batches) == 4
    client = employer_login(cast.clerk)
    Batch.objects.filter(pk=batches[BatchStatus.PROCESSING].pk).update(total=7, processed=5)
    labels = {row[6] for row in table_rows(client.get(HISTORY, {"status": "waiting"}))}
    progress = "處理中(已處理 5 / 7 筆)"
    assert labels == {"已上傳，等待入檔", progress}  # rows done of total while it runs
    labels = {row[6] for row in table_rows(client.get(HISTORY, {"status": "done"}))}
    assert labels == {"入檔完畢", "失敗"}
    assert len(table_rows(client.get(HISTORY, {"status": "all"}))) == 4
    assert len(table_rows(client.get(HISTORY))) == 4  # 全部 by default
    checked = client.get(HISTORY, {"status": "done"}).content.decode()
    assert 'id="status-done" value="done" checked' in checked


def test_paging_by_10_or_20(cast: Cast) -> None:
    clerk_id = cast.clerk.person.national_id
    start = timezone.now() - dt.timedelta(days=30)
    for n in range(25):
        upload(cast, clerk_id, rows=1, submitted_at=start + dt.timedelta(hours=n))
    client = employer_login(cast.clerk)

    first = client.get(HISTORY, {"status": "all"})
    assert "【共25筆資料】【1/3頁】" in text(first)
    assert len(table_rows(first)) == 10
    assert 'href="?status=all&amp;page=2"' in first.content.decode()
    third = client.get(HISTORY, {"status": "all", "page": "3"})
    assert "【共25筆資料】【3/3頁】" in text(third)
    assert len(table_rows(third)) == 5
    by_20 = client.get(HISTORY, {"per_page": "20", "page": "2"})
    assert "【共25筆資料】【2/2頁】" in text(by_20)
    assert len(table_rows(by_20)) == 5
    assert 'href="?per_page=20&amp;page=1"' in by_20.content.decode()
    beyond = client.get(HISTORY, {"page": "99"})
    assert "【3/3頁】" in text(beyond)
    assert "【1/3頁】" in text(client.get(HISTORY, {"page": "x"}))
    odd_size = client.get(HISTORY, {"per_page": "1000"})
    assert odd_size.status_code == 400


def test_newest_first(cast: Cast) -> None:
    clerk_id = cast.clerk.person.national_id
    old = upload(cast, clerk_id, rows=1, submitted_at=timezone.now() - dt.timedelta(days=2))
    new = upload(cast, clerk_id, rows=2, submitted_at=timezone.now() - dt.timedelta(days=1))
    rows = table_rows(employer_login(cast.clerk).get(HISTORY))
    assert [row[3] for row in rows] == [str(new.total), str(old.total)]


def test_clear_goes_back_to_no_filters(cast: Cast) -> None:
    response = employer_login(cast.clerk).get(HISTORY, {"date_from": "1150101"})
    clear = response.content.decode().split("清除")[0].rsplit("<a", 1)[1]
    assert f'href="{HISTORY}"' in clear


def test_no_link_holds_a_national_id(cast: Cast) -> None:
    upload(cast, cast.clerk.person.national_id)
    content = employer_login(cast.admin).get(HISTORY).content.decode()
    for href in re.findall(r'href="([^"]*)"', content):
        assert not re.search(r"[A-Z][0-9]{9}", href), href
