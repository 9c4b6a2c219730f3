"""The hourly housekeeping task: reminders and purges of what ages (pending registrations, old
batch uploads, expired card challenges, stale throttle counters, expired sessions, finished task
results), and a nudge to the batch sweep.

Kept alive like the other sweeps (cardreg.taskchain): every run first makes sure the next one is
scheduled an hour later, so a run killed half-way is followed by the next all the same, and a
second chain (``manage.py housekeeping --schedule`` again) merges into the first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from cardreg import taskchain
from cardreg.accounts import throttle
from cardreg.accounts.housekeeping import purge_expired_pending, send_expiry_reminders
from cardreg.audit.actions import record_event
from cardreg.cards.proof import purge_expired_challenges
from cardreg.employers import processing
from cardreg.employers.cleanup import purge_old_batches
from cardreg.employers.tasks import process_batches

logger = logging.getLogger(__name__)

EVERY = timedelta(hours=1)


@task()
def housekeeping() -> dict[str, object]:
    now = timezone.now()
    schedule(now + EVERY)
    return run_housekeeping(now)


def schedule(at: datetime) -> None:
    """Make sure a housekeeping run starts no later than ``at``."""
    taskchain.schedule(housekeeping, at)


class HousekeepingFailed(Exception):
    pass


def run_housekeeping(now: datetime) -> dict[str, object]:
    """Every step, each on its own: one that fails (logged, then raised at the end, so the task
    run shows it) does not keep the others from their work."""
    done: dict[str, object] = {}
    failed = []
    for name, step in STEPS.items():
        try:
            done[name] = step(now)
        except Exception:
            logger.exception("housekeeping: %s failed", name)
            failed.append(name)
    logger.info("housekeeping: %s", done)
    if failed:
        raise HousekeepingFailed(", ".join(failed))
    return done


def wake_batch_sweep(now: datetime) -> bool:
    """A batch waiting (or left by a killed worker) while no sweep is on its way gets one;
    True if a batch has work due."""
    due = processing.next_due_at()
    taskchain.schedule(process_batches, due)
    return due is not None


def prune_task_results(now: datetime) -> bool:
    """Finished task runs older than django-tasks-db's default (14 days) go. The package offers
    this only as a management command, which works on the database backend alone."""
    if not isinstance(housekeeping.get_backend(), DatabaseBackend):
        return False
    call_command("prune_db_task_results", queue_name="*", verbosity=0)
    return True


ABANDONED = "cardreg.housekeeping.TaskAbandoned"


def fail_stale_tasks(now: datetime) -> int:
    """Task runs RUNNING longer than CARDREG_TASK_STALE_HOURS are marked failed: django-tasks-db
    leaves a run whose worker was killed RUNNING for ever. Nothing is lost, the sweeps schedule
    their next run ahead; marked failed, the row ages out with the other finished ones."""
    if not isinstance(housekeeping.get_backend(), DatabaseBackend):
        return 0
    stale_since = now - timedelta(hours=settings.CARDREG_TASK_STALE_HOURS)
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=stale_since
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=ABANDONED,
        traceback=f"Still running after {settings.CARDREG_TASK_STALE_HOURS} h: worker gone.",
    )
    if count:
        logger.warning("housekeeping: %d abandoned task runs marked failed", count)
        record_event("tasks.stale_failed", count=count)
    return count


def clear_sessions(now: datetime) -> bool:
    """Expired sessions go (each card-proof probe without a cookie stores one)."""
    call_command("clearsessions", verbosity=0)
    return True


# In this order: a reminder first, then what has aged; each returns what it did.
STEPS: dict[str, Callable[[datetime], object]] = {
    "reminders": send_expiry_reminders,
    "pending_purged": purge_expired_pending,
    "batches_purged": purge_old_batches,
    "challenges_purged": purge_expired_challenges,
    "throttles_purged": throttle.purge_stale,
    "sessions_cleared": clear_sessions,
    "batches_due": wake_batch_sweep,
    "stale_tasks_failed": fail_stale_tasks,
    "task_results_pruned": prune_task_results,
}
