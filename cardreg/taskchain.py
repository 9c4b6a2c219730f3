"""Keeping a sweep task scheduled with django-tasks-db, which runs a task once, never retries
it, and leaves a task whose worker was killed RUNNING for ever.

A sweep (the mail outbox's, the batch uploads') therefore never relies on one task run: a
change that gives it work wakes it after commit (``wake_after_commit``), and every run first
makes sure another run is scheduled a lease later (``schedule``), which finds whatever a killed
run left behind. "Schedules" means: enqueue with ``run_after``, unless a run that will start by
then is already waiting, so the chain does not multiply.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

SweepTask = Task[[], Any]


def schedule(task: SweepTask, at: datetime | None) -> None:
    """Make sure ``task`` runs no later than ``at`` (None: nothing to do)."""
    if at is None or not task.get_backend().supports_defer:
        return  # a backend that runs tasks at once cannot schedule
    if _waiting_by(task, at):
        return
    task.using(run_after=at).enqueue()


def _waiting_by(task: SweepTask, at: datetime) -> bool:
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    runs_by = Q(run_after__lte=at) | Q(run_after=get_date_max())  # date max: "as soon as possible"
    return (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=task.module_path, backend_name=backend.alias
        )
        .filter(runs_by)
        .exists()
    )


def wake_after_commit(task: SweepTask) -> None:
    """Once the current transaction commits, make sure ``task`` runs now: enqueue it unless a
    run that has not started yet is already due (a batch's 20 chunk commits wake one sweep)."""
    connection = transaction.get_connection()
    enqueue = _enqueuers.setdefault(task.module_path, _enqueuer(task))
    if connection.in_atomic_block and any(
        entry[1] is enqueue for entry in connection.run_on_commit
    ):
        return
    # robust: a failed enqueue must not fail the caller's request; the chain's next run follows.
    transaction.on_commit(enqueue, robust=True)


_enqueuers: dict[str, Any] = {}


def _enqueuer(task: SweepTask) -> Any:
    def enqueue() -> None:
        # A waiting run has not read anything yet, so it will see what was just committed.
        if not _waiting_by(task, timezone.now()):
            task.enqueue()

    return enqueue
