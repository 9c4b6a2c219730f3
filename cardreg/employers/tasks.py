"""The background side of batch uploads: one sweep task that processes whatever is due.

Kept alive the way the mail outbox's sweep is (cardreg.taskchain): a submission wakes it after
commit; before a sweep takes up a batch it schedules another sweep for when that batch's lease
would run out, which takes the batch over if this worker is killed; after its work it schedules
one for the next lease to run out, if any batch is still in another worker's hands.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from cardreg import taskchain
from cardreg.employers import processing

logger = logging.getLogger(__name__)

MAX_PER_SWEEP = 20  # batches; then the sweep ends and a new one is queued, so mail gets a turn


@task()
def process_batches() -> dict[str, int]:
    handled = 0
    while handled < MAX_PER_SWEEP:
        # Should this worker die on the batch it is about to claim, this sweep takes it over.
        taskchain.schedule(process_batches, timezone.now() + processing.lease())
        if processing.process_next() is None:
            break
        handled += 1
    taskchain.schedule(process_batches, processing.next_due_at())
    return {"batches": handled}


def wake_processing() -> None:
    """After the current transaction commits, queue one sweep (once per transaction)."""
    taskchain.wake_after_commit(process_batches)
