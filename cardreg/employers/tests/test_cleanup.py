"""Old batch uploads go: previews never submitted after a day, any upload past the history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cardreg.accounts.models import Account
from cardreg.employers import processing
from cardreg.employers.batches import Uploader, accept_upload
from cardreg.employers.cleanup import purge_old_batches
from cardreg.employers.models import Batch, BatchChunk, BatchResult, BatchStatus, InsuranceUnit
from cardreg.employers.testing import (
    add_people,
    add_roster,
    batch_rows,
    csv_bytes,
    file_name,
    national_ids,
    submitted_batch,
)

DAY = dt.timedelta(days=1)


def draft(unit: InsuranceUnit) -> Batch:
    uploader = Uploader("A123456789", "王承辦", "王承辦", "clerk@example.tw", "zh-hant")
    data = csv_bytes(batch_rows(national_ids(2)))
    return accept_upload(unit, uploader, file_name=file_name(unit), data=data)


def processed(unit: InsuranceUnit, start: int) -> Batch:
    ids = national_ids(3, start=start)
    add_people(ids)
    add_roster(unit.code, ids[:2])
    batch = submitted_batch(unit, csv_bytes(batch_rows(ids)))
    processing.process_next()
    return batch


def age(batch: Batch, **fields: dt.timedelta) -> None:
    now = timezone.now()
    Batch.objects.filter(pk=batch.pk).update(**{f: now - d for f, d in fields.items()})


def test_a_preview_is_deleted_after_a_day(unit: InsuranceUnit) -> None:
    old, young = draft(unit), draft(unit)
    age(old, created_at=DAY + dt.timedelta(minutes=1))
    age(young, created_at=DAY - dt.timedelta(minutes=1))
    assert purge_old_batches(timezone.now()) == 1
    assert list(Batch.objects.values_list("pk", flat=True)) == [young.pk]


def test_an_upload_past_the_history_goes_with_its_results(
    unit: InsuranceUnit, settings: Any
) -> None:
    settings.CARDREG_BATCH_HISTORY_DAYS = 92
    old, recent = processed(unit, 0), processed(unit, 10)
    age(old, created_at=93 * DAY, submitted_at=93 * DAY)
    age(recent, created_at=91 * DAY, submitted_at=91 * DAY)
    assert BatchResult.objects.filter(batch=old).count() == 3
    assert BatchChunk.objects.filter(batch=old).exists()

    with CaptureQueriesContext(connection) as queries:
        assert purge_old_batches(timezone.now()) == 1

    assert list(Batch.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not BatchResult.objects.filter(batch_id=old.pk).exists()
    assert not BatchChunk.objects.filter(batch_id=old.pk).exists()
    assert Account.objects.count() == 4  # the registrations are the registrants' and stay
    # The uploaded file and the log are never loaded to delete them.
    assert not any('"content"' in q["sql"] for q in queries.captured_queries)


def test_nothing_recent_is_deleted(unit: InsuranceUnit) -> None:
    draft(unit)
    processed(unit, 0)
    assert purge_old_batches(timezone.now()) == 0
    assert Batch.objects.count() == 2


def test_an_old_upload_still_being_processed_stays_until_it_ends(unit: InsuranceUnit) -> None:
    batch = processed(unit, 0)
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.PROCESSING)
    age(batch, created_at=200 * DAY, submitted_at=200 * DAY)
    assert purge_old_batches(timezone.now()) == 0
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.DONE)
    assert purge_old_batches(timezone.now()) == 1
