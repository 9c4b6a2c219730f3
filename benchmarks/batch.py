"""Employer batch uploads end to end, with a real background worker.

On a fresh database (an SQLite file by default; with DATABASE_URL pointing at a PostgreSQL
server, a scratch database is created on it and dropped afterwards) it loads a roster of
--roster rows (the unit's employees plus other units' people) and the card registry's people,
then for each file:
  * upload accepted: file name, content, encoding and shape checked, draft stored, submitted;
  * end to end: from the upload to 入檔完畢 as the database shows it — every row checked against
    the roster, pending registrations, link tokens and registrant mails written, the log written
    and the clerk's mail queued — processed by a running `manage.py db_worker`;
  * the worker's peak memory (VmHWM);
and the preview's rows/s (every row checked, the database too, nothing written).

    .venv/bin/python benchmarks/batch.py                      # 100k valid + 100k mixed + 1M
    .venv/bin/python benchmarks/batch.py --sizes 100000 --roster 1000000   # quicker
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
UNIT = "133397421"


def scratch_postgres(url: str) -> tuple[str, str]:
    """A new database on the server of ``url``: (its URL, its name)."""
    import psycopg

    name = f"cardreg_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}", name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(roster: int, people: int) -> None:
    """Migrate; the unit; ``people`` employees insured by it (with cards); other units' rows."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from cardreg.employers.testing import add_people, add_roster, national_ids
    from cardreg.employers.tests.conftest import make_unit

    make_unit(UNIT)
    started = time.perf_counter()
    step = 500_000
    for start in range(0, people, step):
        ids = national_ids(min(step, people - start), start=start)
        add_people(ids)
        add_roster(UNIT, ids)
    others = max(0, roster - people)
    for start in range(0, others, step):
        count = min(step, others - start)
        add_roster("120000000", national_ids(count, start=start, letter="G"))
    print(
        f"roster {max(roster, people):,} rows, card registry {people:,} people: "
        f"loaded in {time.perf_counter() - started:.1f} s"
    )


def make_file(rows: int, mixed: bool) -> bytes:
    """A CP950 CSV as Excel writes it. Mixed: every 10th row has a problem the file shows (bad
    ID, bad mobile, repeat) and every 10th another a problem the database shows (not insured)."""
    from cardreg.employers.testing import batch_rows, csv_bytes, national_ids

    lines: list[tuple[str, ...]] = list(batch_rows(national_ids(rows)))
    if mixed:
        outsider = national_ids(rows // 10 + 1, letter="H")
        for n in range(0, rows, 10):
            kind = (n // 10) % 3
            row = lines[n]
            if kind == 0:
                lines[n] = (row[0][:-1] + str((int(row[0][-1]) + 1) % 10), *row[1:])
            elif kind == 1:
                lines[n] = (row[0], row[1], row[2][1:], row[3])
            else:
                lines[n] = (lines[n - 5][0], *row[1:])
        for n in range(5, rows, 10):
            lines[n] = (outsider[n // 10], *lines[n][1:])
    return csv_bytes(lines, "cp950")


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "manage.py", "db_worker", "--interval", "0.05", "--skip-checks"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def peak_memory_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def end_to_end(rows: int, mixed: bool, env: dict[str, str]) -> None:
    from cardreg.employers.batches import Uploader, accept_upload, submit
    from cardreg.employers.batchlog import log_size
    from cardreg.employers.models import Batch, BatchStatus, InsuranceUnit
    from cardreg.employers.testing import file_name
    from cardreg.mail.models import OutboxMessage

    data = make_file(rows, mixed)
    unit = InsuranceUnit.objects.get(code=UNIT)
    worker = start_worker(env)
    try:
        time.sleep(3)  # the worker is up and idle, as in production
        mails_before = OutboxMessage.objects.count()
        started = time.perf_counter()
        uploader = Uploader("A123456789", "王承辦", "王承辦", "clerk@example.tw", "zh-hant")
        batch = accept_upload(unit, uploader, file_name=file_name(unit), data=data)
        submit(batch)
        accepted = time.perf_counter() - started
        while True:
            status = Batch.objects.values_list("status", flat=True).get(pk=batch.pk)
            if status in (BatchStatus.DONE, BatchStatus.FAILED):
                break
            time.sleep(0.01)
        total = time.perf_counter() - started
        memory = peak_memory_mib(worker.pid)
    finally:
        worker.terminate()
        worker.wait()
    batch.refresh_from_db()
    archive = bytes(batch.log or b"")
    mails = OutboxMessage.objects.count() - mails_before
    processing = (batch.finished_at - batch.started_at).total_seconds()  # type: ignore[operator]
    kind = "mixed" if mixed else "valid"
    print(
        f"{rows:>9,} rows {kind}: upload accepted {accepted:.2f} s; end to end {total:.2f} s "
        f"= {rows / total:,.0f} rows/s (processing {processing:.2f} s); "
        f"{batch.succeeded:,} registered, {batch.failed:,} failed, {mails:,} mails queued, "
        f"log {log_size(archive) / 1e6:.1f} MB ({len(archive) / 1e6:.1f} MB zipped); "
        f"worker peak memory {memory:.0f} MiB"
    )
    if batch.status != BatchStatus.DONE or batch.processed != rows:
        raise SystemExit(f"batch ended {batch.status} with {batch.processed} rows processed")
    wipe_registrations()


def wipe_registrations() -> None:
    """Back to no registrations, so the next file is processed like the first."""
    from django.db import connection

    from cardreg.accounts.models import Account, EmailToken
    from cardreg.employers.models import Batch
    from cardreg.mail.models import OutboxAttachment, OutboxBody, OutboxMessage

    with connection.cursor() as cursor:
        for model in (EmailToken, OutboxAttachment, OutboxMessage, OutboxBody, Account):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
    Batch.objects.all().delete()


def preview_rate(rows: int) -> None:
    from cardreg.employers.batches import Uploader, accept_upload, preview
    from cardreg.employers.models import InsuranceUnit
    from cardreg.employers.testing import file_name

    unit = InsuranceUnit.objects.get(code=UNIT)
    uploader = Uploader("A123456789", "王承辦", "王承辦", "clerk@example.tw", "zh-hant")
    batch = accept_upload(unit, uploader, file_name=file_name(unit), data=make_file(rows, True))
    started = time.perf_counter()
    result = preview(batch)
    elapsed = time.perf_counter() - started
    print(
        f"preview of {rows:,} mixed rows: {elapsed:.2f} s = {rows / elapsed:,.0f} rows/s "
        f"({result.failing:,} rows with a problem)"
    )
    batch.delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000", help="file sizes, comma-separated")
    parser.add_argument("--roster", type=int, default=5_000_000)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    base_url = os.environ.get("DATABASE_URL", "")
    scratch: tuple[str, str] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        env: dict[str, Any] = {
            **os.environ,
            "CARDREG_VAR_DIR": tmp,
            "DJANGO_SECRET_KEY": "benchmark-only",
            "DJANGO_SETTINGS_MODULE": "cardreg.settings",
            "CARDREG_MAIL_TRANSPORT": "demo",
            "CARDREG_LOG_LEVEL": "WARNING",
            "CARDREG_BATCH_MAX_ROWS": str(max(sizes)),
            "CARDREG_BATCH_MAX_BYTES": str(200 * 1024 * 1024),
        }
        if base_url.startswith("postgres"):
            scratch = scratch_postgres(base_url)
            env["DATABASE_URL"] = scratch[0]
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        try:
            prepare(args.roster, max(sizes))
            from django.conf import settings
            from django.db import connection

            chunk = settings.CARDREG_BATCH_CHUNK_ROWS
            print(f"database: {connection.vendor}; chunks of {chunk} rows")
            preview_rate(min(sizes))
            for rows in sizes:
                end_to_end(rows, False, env)
                if rows <= 100_000:
                    end_to_end(rows, True, env)
        finally:
            from django.db import connections

            connections.close_all()
            if scratch is not None:
                drop_postgres(base_url, scratch[1])


if __name__ == "__main__":
    main()
