"""Counting abuse: events per (scope, key) in a window, and growing delays after failures.

Keys (card numbers, account IDs, addresses) are stored only as an HMAC with the secret key, so the
table never holds a national ID or card number. Delays grow, they never lock an account for good.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cardreg.accounts.models import Throttle


def _digest(scope: str, key: str) -> str:
    return salted_hmac("cardreg.throttle", f"{scope}:{key}").hexdigest()


def _locked_row(scope: str, key: str) -> Throttle:
    """The row for (scope, key), locked for this transaction; created on first use."""
    digest = _digest(scope, key)
    rows = Throttle.objects.select_for_update().filter(scope=scope, key_digest=digest)
    row = rows.first()
    if row is None:
        try:
            with transaction.atomic():
                row = Throttle.objects.create(
                    scope=scope, key_digest=digest, window_start=timezone.now()
                )
        except IntegrityError:  # another request created it first
            row = rows.get()
    return row


def _fresh(row: Throttle, window: timedelta) -> None:
    if row.window_start + window <= timezone.now():
        row.window_start, row.count, row.blocked_until = timezone.now(), 0, None


def hit(scope: str, key: str, *, window: timedelta) -> int:
    """Count one event; return how many this key has had in the current window."""
    with transaction.atomic():
        row = _locked_row(scope, key)
        _fresh(row, window)
        row.count += 1
        row.save(update_fields=["window_start", "count", "blocked_until"])
        return row.count


def _row(scope: str, key: str) -> Throttle | None:
    return Throttle.objects.filter(scope=scope, key_digest=_digest(scope, key)).first()


def count(scope: str, key: str, *, window: timedelta) -> int:
    row = _row(scope, key)
    if row is None or row.window_start + window <= timezone.now():
        return 0
    return row.count


def window_left(scope: str, key: str, *, window: timedelta) -> int:
    """Seconds until this key's current window ends and its count starts again (0: no window)."""
    row = _row(scope, key)
    if row is None:
        return 0
    remaining = (row.window_start + window - timezone.now()).total_seconds()
    return max(0, int(remaining + 0.999))


def wait_seconds(scope: str, key: str) -> int:
    """Seconds until this key may try again (0: now)."""
    row = _row(scope, key)
    if row is None or row.blocked_until is None:
        return 0
    remaining = (row.blocked_until - timezone.now()).total_seconds()
    return max(0, int(remaining + 0.999))


def fail(scope: str, key: str, *, free: int, max_delay: int, window: timedelta) -> int:
    """Count a failure; after ``free`` of them each one doubles the wait (1 s, 2 s, 4 s … cap)."""
    with transaction.atomic():
        row = _locked_row(scope, key)
        _fresh(row, window)
        row.count += 1
        if row.count > free:
            delay = min(max_delay, 2 ** min(row.count - free - 1, 20))
            row.blocked_until = timezone.now() + timedelta(seconds=delay)
        row.save(update_fields=["window_start", "count", "blocked_until"])
        return row.count


def reset(scope: str, key: str) -> None:
    Throttle.objects.filter(scope=scope, key_digest=_digest(scope, key)).delete()


# The longest window any caller counts in (logins, 戶政 checks: a day). A row whose window started
# before that and that blocks nobody counts as zero for every caller, so it may go.
LONGEST_WINDOW = timedelta(days=1)


def purge_stale(now: datetime) -> int:
    """Rows that no longer count or block (housekeeping), so probes cannot grow the table."""
    stale = Throttle.objects.filter(window_start__lt=now - LONGEST_WINDOW)
    deleted, _ = stale.exclude(blocked_until__gt=now).delete()
    return deleted
