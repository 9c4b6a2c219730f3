from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cardreg.accounts.models import Account, AccountOrigin, AccountStatus, EmailToken, TokenPurpose
from cardreg.cards.models import Person
from cardreg.employers import processing
from cardreg.employers.batchfile import RowResult
from cardreg.employers.batchlog import log_time, read_log
from cardreg.employers.models import Batch, BatchResult, BatchStatus, InsuranceUnit
from cardreg.employers.testing import (
    add_people,
    add_roster,
    batch_rows,
    csv_bytes,
    national_ids,
    submitted_batch,
)
from cardreg.mail.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def process_all() -> None:
    while processing.process_next() is not None:
        pass


def test_each_row_gets_one_result_and_the_accepted_rows_become_pending_registrations(
    unit: InsuranceUnit, settings: Any
) -> None:
    settings.CARDREG_BATCH_CHUNK_ROWS = 3  # several chunks
    ids = national_ids(8)
    add_people(ids[:6])
    add_roster(unit.code, ids[:5] + ids[6:7])  # ids[5], ids[7]: not insured; ids[6]: no card
    add_roster(unit.code, ids[4:5], until=dt.date(2001, 1, 1))  # an old period changes nothing
    Account.objects.create_user(  # already registered (active)
        ids[1],
        person=Person.objects.get(national_id=ids[1]),
        mobile="0912345678",
        email="a@example.tw",
        status=AccountStatus.ACTIVE,
    )
    rows = batch_rows(ids)
    rows.insert(3, (ids[0], "dup@example.tw", "0912345678", ""))  # repeats row 1
    rows.append(("A123456788", "x@example.tw", "0912345678", ""))  # checksum
    batch = submitted_batch(unit, csv_bytes(rows))
    assert batch.status == BatchStatus.WAITING and batch.total == 10

    process_all()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert (batch.processed, batch.succeeded, batch.failed) == (10, 4, 6)
    results = {r.row: r for r in BatchResult.objects.filter(batch=batch)}
    assert sorted(results) == list(range(1, 11))
    reasons = {row: r.reason for row, r in results.items() if not r.ok}
    assert reasons[2] == "已完成健保卡網路服務註冊"
    assert reasons[4] == "與第1筆資料的身分證號重複。"
    assert reasons[7] == "非該單位在保保險對象"
    assert reasons[8] == "查無此保險對象的健保卡資料"
    assert reasons[9] == "非該單位在保保險對象"
    assert "檢查碼" in reasons[10]
    assert results[10].national_id_masked == "A12345****"
    assert results[7].reason_en  # both languages kept

    pending = Account.objects.filter(origin=AccountOrigin.EMPLOYER)
    assert sorted(pending.values_list("national_id", flat=True)) == sorted(
        [ids[0], ids[2], ids[3], ids[4]]
    )
    assert all(a.status == AccountStatus.PENDING and not a.has_usable_password() for a in pending)
    first = pending.get(national_id=ids[0])
    assert (first.email, first.mobile) == (rows[0][1], rows[0][2])
    tokens = EmailToken.objects.filter(account__in=pending, purpose=TokenPurpose.ACTIVATE)
    assert tokens.count() == 4

    mails = OutboxMessage.objects.filter(template="batch_registration")
    assert mails.count() == 4
    mail = mails.get(recipient=rows[0][1])
    assert mail.subject == "健保卡網路服務-註冊成功"
    assert "測試員" in mail.text and "/account/activate#" in mail.text
    assert "單位133397421" in mail.text
    token = mail.merge_values.split("\x1f")[1]
    link = f"http://localhost:8000/account/activate#{token}"
    assert link in mail.text and f'href="{link}"' in mail.html
    assert "[[merge:" not in mail.html + mail.text


def test_the_clerk_gets_one_mail_with_the_log_in_the_seed_format(unit: InsuranceUnit) -> None:
    ids = national_ids(3)
    add_people(ids)
    add_roster(unit.code, ids[:2])
    batch = submitted_batch(unit, csv_bytes(batch_rows(ids)))

    process_all()
    process_all()

    batch.refresh_from_db()
    log = read_log(bytes(batch.log or b"")).decode("utf-8-sig")
    lines = log.split("\r\n")
    assert lines[-1] == ""
    stamp = r"\d{4}/\d{1,2}/\d{1,2} (上午|下午) \d\d:\d\d:\d\d"
    assert re.fullmatch(stamp + r" 第1筆資料: F20000\*\*\*\* 註冊成功，已寄發認證信", lines[0])
    not_insured = r" 第3筆資料: F20000\*\*\*\* 非該單位在保保險對象，不入檔!"
    assert re.fullmatch(stamp + not_insured, lines[2])
    assert re.fullmatch(stamp + " 結束執行", lines[3])
    assert re.fullmatch(stamp + "總共上傳3筆,成功註冊2筆,失敗1筆", lines[4])
    assert re.fullmatch(rf"{batch.file_name[:-4]}\.\d{{13}}\.log", batch.log_name)
    mails = OutboxMessage.objects.filter(template="batch_done")
    assert mails.count() == 1
    mail = mails.get()
    assert mail.recipient == "clerk@example.tw"
    assert mail.subject == "健保卡整批註冊網路服務-入檔完成"
    assert "總共上傳3筆，成功註冊2筆，失敗1筆。入檔資訊詳見附件。" in mail.text
    attachment = mail.attachments.get()
    assert attachment.filename == batch.log_name
    assert bytes(attachment.content) == read_log(bytes(batch.log or b""))


def test_a_large_log_is_attached_zipped(unit: InsuranceUnit, settings: Any) -> None:
    settings.CARDREG_BATCH_LOG_ATTACH_MAX_BYTES = 1000  # 30 rows: ~2,500 bytes, ~600 zipped
    ids = national_ids(30)
    add_people(ids)
    add_roster(unit.code, ids)
    batch = submitted_batch(unit, csv_bytes(batch_rows(ids)))
    process_all()
    batch.refresh_from_db()
    attachment = OutboxMessage.objects.get(template="batch_done").attachments.get()
    assert attachment.filename == f"{batch.log_name}.zip"
    with zipfile.ZipFile(io.BytesIO(bytes(attachment.content))) as archive:
        assert archive.namelist() == [batch.log_name]
        assert archive.read(batch.log_name) == read_log(bytes(batch.log or b""))


def test_log_times_are_taipei_with_the_half_day() -> None:
    assert log_time(dt.datetime(2016, 7, 13, 3, 56, 45, tzinfo=dt.UTC)) == "2016/7/13 上午 11:56:45"
    assert log_time(dt.datetime(2016, 7, 13, 4, 5, 6, tzinfo=dt.UTC)) == "2016/7/13 下午 12:05:06"
    assert log_time(dt.datetime(2016, 7, 13, 16, 0, 0, tzinfo=dt.UTC)) == "2016/7/14 上午 12:00:00"


def test_a_resumed_batch_starts_after_its_last_committed_chunk(
    unit: InsuranceUnit, settings: Any
) -> None:
    settings.CARDREG_BATCH_CHUNK_ROWS = 2
    ids = national_ids(5)
    add_people(ids)
    add_roster(unit.code, ids)
    rows = batch_rows(ids)
    rows.append((ids[0], "again@example.tw", "0912345678", ""))  # a repeat in the last chunk
    batch = submitted_batch(unit, csv_bytes(rows))
    claimed = processing.claim_next()
    assert claimed is not None
    batch, token = claimed
    chunks: list[int] = []
    original = processing._commit_chunk

    def die_after_two(state: processing._Run, start: int, chunk: list[RowResult]) -> None:
        if len(chunks) == 2:
            raise KeyboardInterrupt  # the worker dies: nothing of this chunk is written
        chunks.append(start)
        original(state, start, chunk)

    processing._commit_chunk = die_after_two
    try:
        with pytest.raises(KeyboardInterrupt):
            processing.run(batch, token)
    finally:
        processing._commit_chunk = original
    assert Batch.objects.get(pk=batch.pk).processed == 4
    Batch.objects.filter(pk=batch.pk).update(lease_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))

    process_all()

    batch.refresh_from_db()
    assert (batch.status, batch.succeeded, batch.failed, batch.runs) == (BatchStatus.DONE, 5, 1, 2)
    assert BatchResult.objects.filter(batch=batch).count() == 6
    assert BatchResult.objects.get(batch=batch, row=6).reason == "與第1筆資料的身分證號重複。"
    assert Account.objects.filter(origin=AccountOrigin.EMPLOYER).count() == 5
    assert OutboxMessage.objects.filter(template="batch_registration").count() == 5


def test_reading_the_database_is_set_based(unit: InsuranceUnit) -> None:
    ids = national_ids(400)
    add_people(ids)
    add_roster(unit.code, ids)
    submitted_batch(unit, csv_bytes(batch_rows(ids)))
    with CaptureQueriesContext(connection) as queries:
        process_all()
    assert Account.objects.filter(origin=AccountOrigin.EMPLOYER).count() == 400
    assert len(queries) < 60  # per chunk a fixed number of statements, not one per row


def test_a_batch_interrupted_too_often_fails_with_its_reason_and_one_mail(
    unit: InsuranceUnit, settings: Any
) -> None:
    settings.CARDREG_BATCH_MAX_RUNS = 1
    ids = national_ids(2)
    add_people(ids)
    add_roster(unit.code, ids)
    submitted_batch(unit, csv_bytes(batch_rows(ids)))
    claimed = processing.claim_next()  # a worker takes it and dies before any chunk
    assert claimed is not None
    first_start = claimed[0].started_at
    assert first_start is not None
    Batch.objects.update(lease_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))

    process_all()

    batch = Batch.objects.get()
    assert (batch.status, batch.runs, batch.processed) == (BatchStatus.FAILED, 2, 0)
    assert batch.started_at == first_start  # the first run's start is kept
    assert batch.failure_reason.startswith("處理過程多次中斷")
    assert batch.failure_reason_en.startswith("Processing was interrupted several times")
    (mail,) = OutboxMessage.objects.filter(template="batch_failed")
    assert mail.subject == "健保卡整批註冊網路服務-入檔失敗"
    assert "處理過程多次中斷" in mail.text and "未處理2筆" in mail.text
    log = read_log(bytes(batch.log or b"")).decode("utf-8-sig")
    assert "處理中止,未處理2筆:處理過程多次中斷" in log
    assert not Account.objects.filter(origin=AccountOrigin.EMPLOYER).exists()
