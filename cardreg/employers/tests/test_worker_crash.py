"""A real `manage.py db_worker` killed with SIGKILL in the middle of a batch: after the lease
runs out the scheduled sweep takes the batch over, and every row ends with exactly one result,
one registration and one mail."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from cardreg.employers.batchlog import read_log
from cardreg.mail.tests.test_worker_process import ROOT, Project

ROWS, CHUNK = 20_000, 200
SUBMIT = f"""
from cardreg.employers.testing import add_people, add_roster, batch_rows, csv_bytes, national_ids
from cardreg.employers.testing import submitted_batch
from cardreg.employers.tests.conftest import make_unit
unit = make_unit()
ids = national_ids({ROWS})
add_people(ids[:-100])  # the last 100 have no card
add_roster(unit.code, ids[100:])  # the first 100 are not insured
rows = batch_rows(ids)
rows[500] = (ids[10], *rows[500][1:])  # repeats row 11 (not insured there, repeated here)
rows[700] = (ids[600], *rows[700][1:])  # repeats row 601
submitted_batch(unit, csv_bytes(rows, "cp950"))
"""


def batch_state(project: Project) -> tuple[str, int]:
    status, processed = project.sql("SELECT status, processed FROM employers_batch")[0]
    return status, processed


def test_a_batch_survives_a_killed_worker_exactly_once(tmp_path: Path) -> None:
    project = Project(tmp_path, smtp_port=1)
    project.env |= {
        "CARDREG_MAIL_TRANSPORT": "demo",
        "CARDREG_BATCH_CHUNK_ROWS": str(CHUNK),
        "CARDREG_BATCH_LEASE_SECONDS": "600",
    }
    project.run("migrate", "--skip-checks")
    project.run("shell", "-c", SUBMIT)

    worker = subprocess.Popen(
        project.worker("--interval", "0.05"),
        cwd=ROOT,
        env=project.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status, processed = batch_state(project)
            if status == "processing" and processed >= 10 * CHUNK:
                break
            assert status in ("waiting", "processing"), status
            time.sleep(0.005)
        else:
            raise AssertionError("the worker never got going")
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()

    status, processed = batch_state(project)
    assert status == "processing" and 0 < processed < ROWS and processed % CHUNK == 0
    # What the killed worker committed is whole chunks: results, accounts and mails agree.
    results = project.sql("SELECT COUNT(*), SUM(ok) FROM employers_batchresult")[0]
    assert results[0] == processed
    accounts = project.sql("SELECT COUNT(*) FROM accounts_account WHERE origin = 'employer'")[0]
    assert accounts[0] == results[1]
    tasks = project.sql("SELECT status FROM django_tasks_database_dbtaskresult ORDER BY status")
    assert ("RUNNING",) in tasks and ("READY",) in tasks  # the killed sweep, and its heir

    # Ten minutes later: the lease has run out and the scheduled sweep is due.
    project.sql("UPDATE employers_batch SET lease_until = '2000-01-01 00:00:00'")
    project.sql(
        "UPDATE django_tasks_database_dbtaskresult SET run_after = '2000-01-01 00:00:00' "
        "WHERE status = 'READY'"
    )
    project.run("db_worker", "--batch", "--no-startup-delay", "--skip-checks")

    row = project.sql(
        "SELECT status, total, processed, succeeded, failed, runs FROM employers_batch"
    )
    assert row == [("done", ROWS, ROWS, ROWS - 202, 202, 2)]
    rows = project.sql(
        "SELECT COUNT(*), COUNT(DISTINCT row), MIN(row), MAX(row) FROM employers_batchresult"
    )
    assert rows == [(ROWS, ROWS, 1, ROWS)]
    failed = dict(
        project.sql(
            "SELECT reason, COUNT(*) FROM employers_batchresult WHERE NOT ok GROUP BY reason"
        )
    )
    assert failed == {
        "非該單位在保保險對象": 100,
        "查無此保險對象的健保卡資料": 100,
        "與第11筆資料的身分證號重複。": 1,
        "與第601筆資料的身分證號重複。": 1,
    }
    registered = ROWS - 202
    assert project.sql(
        "SELECT COUNT(*), COUNT(DISTINCT national_id) FROM accounts_account"
        " WHERE origin = 'employer'"
    ) == [(registered, registered)]
    assert project.sql(
        "SELECT COUNT(*), COUNT(DISTINCT account_id) FROM accounts_emailtoken"
        " WHERE purpose = 'activate'"
    ) == [(registered, registered)]
    assert project.sql(
        "SELECT COUNT(*), COUNT(DISTINCT recipient) FROM mail_outboxmessage"
        " WHERE template = 'batch_registration'"
    ) == [(registered, registered)]
    assert project.sql("SELECT COUNT(*) FROM mail_outboxmessage WHERE template = 'batch_done'") == [
        (1,)
    ]
    archive = project.sql("SELECT log FROM employers_batch")[0][0]
    log = read_log(archive).decode("utf-8-sig").split("\r\n")
    assert len(log) == ROWS + 3 and log[-2].endswith(
        f"總共上傳{ROWS}筆,成功註冊{registered}筆,失敗202筆"
    )
