"""The worker's side of the outbox: one task, the sweep, and the rules that keep it scheduled.

django-tasks-db runs a task once and never retries it; a task whose worker was killed stays
RUNNING for ever. So retries and crash recovery cannot hang on any single task. Instead:

1. A transaction that queued mail wakes a worker on commit: one sweep per transaction, however
   many mails it queued.
2. Every sweep, before it sends anything, makes sure another sweep is scheduled at most
   HEARTBEAT later. If this worker is killed mid-send, that sweep finds the expired lease (or a
   later one it schedules does); if a process died between COMMIT and the wake-up of rule 1, it
   finds the pending message. So once a first mail was queued, a sweep is always on the way.
3. After sending, a sweep schedules the next one for when work is due: at once when it stopped
   at MAX_PER_SWEEP, at the retry time when the server was down, otherwise at the earliest retry
   or lease expiry.

Scheduling is cardreg.taskchain's.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from cardreg import taskchain
from cardreg.mail.delivery import SweepResult, deliver_due, next_due_at

logger = logging.getLogger(__name__)

HEARTBEAT = timedelta(minutes=5)


@task()
def send_queued_mail() -> dict[str, int]:
    result = run_sweep()
    return {"sent": result.sent, "retrying": result.retrying, "failed": result.failed}


def run_sweep() -> SweepResult:
    schedule_sweep(timezone.now() + HEARTBEAT)
    result = deliver_due()
    schedule_sweep(_follow_up(result))
    if result.handled:
        logger.info(
            "mail sweep: %d sent, %d to retry, %d failed",
            result.sent,
            result.retrying,
            result.failed,
        )
    return result


def _follow_up(result: SweepResult) -> datetime | None:
    if result.server_down_until is not None:
        return result.server_down_until
    if result.more_due:
        return timezone.now()
    return next_due_at()


def schedule_sweep(at: datetime | None) -> None:
    """Make sure a sweep runs no later than ``at``."""
    taskchain.schedule(send_queued_mail, at)


def wake_worker() -> None:
    """After the current transaction commits, queue one sweep (once per transaction)."""
    taskchain.wake_after_commit(send_queued_mail)
