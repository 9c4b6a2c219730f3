"""Old batch uploads go (run hourly by cardreg.housekeeping): a preview never submitted after a
day, an ended upload once it is older than the history shows (3 months, SPEC §2.4); one still
waiting or being processed stays until it ends. Their results
and chunks cascade; the registrations they made are the accounts' and stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from cardreg.employers.models import Batch, BatchStatus

DRAFT_LIFETIME = timedelta(days=1)


def purge_old_batches(now: datetime) -> int:
    """Delete them one at a time (a batch may hold 100,000 result rows); returns how many."""
    history = timedelta(days=settings.CARDREG_BATCH_HISTORY_DAYS)
    ended = Q(status__in=(BatchStatus.DONE, BatchStatus.FAILED))
    old = Q(status=BatchStatus.DRAFT, created_at__lt=now - DRAFT_LIFETIME) | Q(
        ended, submitted_at__lt=now - history
    )
    purged = 0
    for pk in list(Batch.objects.filter(old).values_list("pk", flat=True)):
        with transaction.atomic():
            # Selected again: a preview may have been submitted meanwhile. only("pk"): the
            # deletion need not load the file and the log.
            deleted = Batch.objects.filter(old, pk=pk).only("pk").delete()[1]
        purged += deleted.get(Batch._meta.label, 0)
    return purged
