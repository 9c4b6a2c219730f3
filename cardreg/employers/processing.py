"""Processing a submitted batch in the background: set-based, chunk by chunk, crash-safe.

One worker holds a batch at a time: it claims it with a conditional UPDATE that gives it a
lease (``claim_token``, ``lease_until``) and renews the lease with every chunk. Each chunk of
CARDREG_BATCH_CHUNK_ROWS rows commits in ONE transaction: its result rows, the pending accounts
and link tokens of the accepted rows, their mails (a mail merge, cardreg.mail.merge), and the
batch's ``processed`` count, which only moves from the chunk's start to its end while this
worker still holds the claim. So a worker killed at any point leaves whole chunks or nothing;
whoever takes the batch over after the lease runs out starts at ``processed`` and every row
ends with exactly one result, one account, one mail (a unique (batch, row) index makes sure).

Per chunk the database is asked set-wise, never per row: the roster (registry.roster), the card
registry's people and the existing accounts, one query each per chunk, and rows are written with
the DB-API (cardreg.bulk). The file is read as a stream; what is kept for the whole file is the
ID → first row map that finds repeated IDs, which a resumed run rebuilds from the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Min, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cardreg.accounts.models import Account, AccountOrigin, AccountStatus, EmailToken, TokenPurpose
from cardreg.accounts.tokens import link_url, token_digest
from cardreg.audit.actions import record_event
from cardreg.bulk import BulkWriter, chunked, db_datetime, in_list
from cardreg.cards.models import Person
from cardreg.employers.batches import stored_rows
from cardreg.employers.batchfile import RowResult, validate_row
from cardreg.employers.batchlog import log_file_name, log_size, read_log, write_log
from cardreg.employers.models import Batch, BatchChunk, BatchResult, BatchStatus
from cardreg.employers.wording import (
    Check,
    Failure,
    both,
    check_message,
    failure_message,
    row_message,
)
from cardreg.lib.masking import mask_national_id
from cardreg.lib.roc_date import format_roc_text
from cardreg.mail.actions import Attachment, mail_date, queue_mail
from cardreg.mail.merge import MergeMail, prepare_merge, queue_merged
from cardreg.mail.models import MERGE_MARK
from cardreg.registry.models import RosterEntry

logger = logging.getLogger(__name__)

ACTIVATE_PATH = "/account/activate"  # 健保卡註冊認證作業 (cardreg.accounts)
CHUNK_RETRIES = 3  # a chunk that collided with another batch's registration is read again
_LOOKUP_CHUNK = 5000  # IDs per query, under SQLite's 32,766 parameters

_ACCOUNT_FIELDS = (
    "password",
    "person",
    "national_id",
    "status",
    "mobile",
    "phone",
    "email",
    "email_pending",
    "email_backup",
    "origin",
    "created_at",
)
_TOKEN_FIELDS = ("account", "purpose", "digest", "created_at", "expires_at")
_RESULT_FIELDS = ("batch", "row", "national_id_masked", "ok", "reason", "reason_en")


class LostClaim(Exception):
    """Another worker took the batch over (this one's lease ran out): stop, change nothing."""


# ---------------------------------------------------------------------------------------------
# Claiming


def lease() -> timedelta:
    return timedelta(seconds=settings.CARDREG_BATCH_LEASE_SECONDS)


def _due(now: dt.datetime) -> Q:
    abandoned = Q(status=BatchStatus.PROCESSING, lease_until__lte=now)
    return Q(status=BatchStatus.WAITING) | abandoned


def claim_next() -> tuple[Batch, str] | None:
    """Take the oldest due batch (waiting, or abandoned by a dead worker) for this worker."""
    now = timezone.now()
    for pk in (
        Batch.objects.filter(_due(now))
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)[:5]
    ):
        token = uuid.uuid4().hex
        claimed = Batch.objects.filter(_due(now), pk=pk).update(
            status=BatchStatus.PROCESSING,
            claim_token=token,
            lease_until=now + lease(),
            runs=F("runs") + 1,
            started_at=Coalesce("started_at", Value(now)),  # the first run's start
        )
        if claimed:
            return Batch.objects.select_related("unit").defer("content", "log").get(pk=pk), token
    return None


def next_due_at() -> dt.datetime | None:
    """When a sweep next has work: now if a batch waits, else when the first lease runs out."""
    if Batch.objects.filter(status=BatchStatus.WAITING).exists():
        return timezone.now()
    leases = Batch.objects.filter(status=BatchStatus.PROCESSING).aggregate(at=Min("lease_until"))
    at: dt.datetime | None = leases["at"]
    return at


def process_next() -> Batch | None:
    """Claim one due batch and process it to the end (or until the claim is lost)."""
    claimed = claim_next()
    if claimed is None:
        return None
    batch, token = claimed
    if batch.runs > settings.CARDREG_BATCH_MAX_RUNS:
        finish_failed(batch, token, Failure.INTERRUPTED)
        return batch
    try:
        run(batch, token)
    except LostClaim:
        logger.warning("batch %s was taken over by another worker", batch.pk)
    except Exception:
        # The lease stays: the batch is tried again when it runs out, up to MAX_RUNS times.
        logger.exception("batch %s: processing stopped; it is taken up again later", batch.pk)
        Batch.objects.filter(pk=batch.pk, claim_token=token).update(
            lease_until=timezone.now() + lease()
        )
    return batch


# ---------------------------------------------------------------------------------------------
# Running


@dataclass
class _Run:
    batch: Batch
    token: str
    today: dt.date  # the roster's day, Asia/Taipei
    now: dt.datetime  # the run's start: the links expire CONFIRM_DAYS later
    merge: MergeMail
    checks: Mapping[Check, tuple[str, str]] = field(default_factory=dict)


def run(batch: Batch, token: str) -> None:
    """Process the rest of the batch: every row from ``processed`` on, then finish it."""
    now = timezone.now()
    expires = now + timedelta(days=settings.CARDREG_CONFIRM_DAYS)
    context = {
        # The link is the same but for its token, which each message brings (a placeholder).
        "link": link_url(ACTIVATE_PATH, MERGE_MARK.format("token")),
        "unit_name": batch.unit.name,
        "days": settings.CARDREG_CONFIRM_DAYS,
        "expires": format_roc_text(timezone.localtime(expires).date()),
        "resend_days": settings.CARDREG_EMPLOYER_PENDING_RESEND_DAYS,
    }
    merge = prepare_merge("batch_registration", context, ("name", "token"), "zh-hant")
    checks = {check: both(functools.partial(check_message, check)) for check in Check}
    state = _Run(batch, token, timezone.localtime(now).date(), now, merge, checks)
    _process_rows(state)
    finish_done(batch, token)  # the file and the repeated-ID map are gone: memory for the log


def _process_rows(state: _Run) -> None:
    batch = state.batch
    data = bytes(Batch.objects.values_list("content", flat=True).get(pk=batch.pk))
    for start, chunk in _chunks(batch, data, start=batch.processed):
        _commit_chunk(state, start, chunk)


def _chunks(batch: Batch, data: bytes, *, start: int) -> Iterator[tuple[int, list[RowResult]]]:
    """The checked rows from ``start`` on, in chunks, with the position of each chunk's first
    row. Rows before ``start`` were committed by an earlier run: they are read again only for
    the repeated-ID map. (Reading in a second thread while this one writes gained nothing: the
    database drivers hold the GIL too much.)"""
    size = settings.CARDREG_BATCH_CHUNK_ROWS
    first_rows: dict[str, int] = {}
    chunk: list[RowResult] = []
    for position, row in enumerate(stored_rows(batch, data)):
        result = validate_row(row, first_rows)
        if position < start:
            continue
        chunk.append(result)
        if len(chunk) == size:
            yield position + 1 - size, chunk
            chunk = []
    if chunk:
        yield batch.total - len(chunk), chunk


def check_rows(unit_code: str, results: Sequence[RowResult], today: dt.date) -> dict[str, Check]:
    """Why each valid row cannot be registered (by ID); valid rows not in it can."""
    return _lookups(unit_code, results, today)[0]


def _lookups(
    unit_code: str, results: Sequence[RowResult], today: dt.date
) -> tuple[dict[str, Check], dict[str, tuple[int, str]]]:
    """check_rows(), and the card registry's people among the rows: {ID: (Person pk, name)}."""
    ids = [result.national_id for result in results if result.ok]
    insured: set[str] = set()
    people: dict[str, tuple[int, str]] = {}
    statuses: dict[str, str] = {}
    for national_id, person_pk, name, status in _insured_people(unit_code, ids, today):
        insured.add(national_id)
        if person_pk is not None:
            people[national_id] = (person_pk, name)
        if status is not None:
            statuses[national_id] = status
    checks: dict[str, Check] = {}
    for national_id in ids:
        if national_id not in insured:
            checks[national_id] = Check.NOT_INSURED
        elif national_id not in people:
            checks[national_id] = Check.NO_CARD
        elif (status := statuses.get(national_id)) is not None:
            checks[national_id] = (
                Check.REGISTERED if status == AccountStatus.ACTIVE else Check.PENDING
            )
    return checks, people


def _commit_chunk(state: _Run, start: int, chunk: list[RowResult]) -> None:
    for attempt in range(1, CHUNK_RETRIES + 1):
        try:
            with transaction.atomic():
                _write_chunk(state, start, chunk)
            return
        except IntegrityError:
            # Another batch registered one of these people between our read and our insert
            # (PostgreSQL); read again: that person is now "pending".
            if attempt == CHUNK_RETRIES:
                raise
            logger.info("batch %s: chunk at %d collided, reading it again", state.batch.pk, start)


def _write_chunk(state: _Run, start: int, chunk: list[RowResult]) -> None:
    batch, end = state.batch, start + len(chunk)
    now = timezone.now()
    # First the claim: this UPDATE takes the batch's row lock (PostgreSQL) or the write lock
    # (SQLite), so two workers never write the same chunk, and a lost lease writes nothing.
    moved = Batch.objects.filter(pk=batch.pk, claim_token=state.token, processed=start).update(
        processed=end, lease_until=now + lease()
    )
    if not moved:
        raise LostClaim
    checks, people = _lookups(batch.unit.code, chunk, state.today)
    accepted = [r for r in chunk if r.ok and r.national_id not in checks]
    _register(state, accepted, people)
    succeeded = len(accepted)
    BulkWriter(BatchResult, _RESULT_FIELDS).write(_result_rows(state, chunk, checks))
    BatchChunk.objects.create(batch=batch, start=start, end=end, done_at=now)
    Batch.objects.filter(pk=batch.pk).update(
        succeeded=F("succeeded") + succeeded, failed=F("failed") + len(chunk) - succeeded
    )


def _result_rows(
    state: _Run, chunk: list[RowResult], checks: Mapping[str, Check]
) -> Iterator[tuple[Any, ...]]:
    pk = state.batch.pk
    for result in chunk:
        # A valid ID's mask is its first six characters; others get the careful mask.
        masked = (
            result.national_id[:6] + "****"
            if not result.problems
            else mask_national_id(result.national_id)
        )
        if result.problems:
            zh, en = both(functools.partial(row_message, result.problems))
            yield (pk, result.number, masked, False, zh, en)
        elif (check := checks.get(result.national_id)) is not None:
            yield (pk, result.number, masked, False, *state.checks[check])
        else:
            yield (pk, result.number, masked, True, "", "")


def _register(
    state: _Run, accepted: list[RowResult], people: Mapping[str, tuple[int, str]]
) -> None:
    """A pending account, a link token and a mail for each accepted row."""
    if not accepted:
        return
    now = db_datetime(state.now)
    pending, employer = AccountStatus.PENDING.value, AccountOrigin.EMPLOYER.value
    account_rows = [
        (
            "!",  # no password yet: the registrant sets his own when he confirms with his card
            people[r.national_id][0],
            r.national_id,
            pending,
            r.mobile,
            r.landline,
            r.email,
            "",
            "",
            employer,
            now,
        )
        for r in accepted
    ]
    BulkWriter(Account, _ACCOUNT_FIELDS).write(account_rows)
    account_ids = _account_ids([r.national_id for r in accepted])
    expires = db_datetime(state.now + timedelta(days=settings.CARDREG_CONFIRM_DAYS))
    purpose = TokenPurpose.ACTIVATE.value
    token_rows = []
    mails = []
    for r in accepted:
        token = secrets.token_urlsafe(32)
        token_rows.append((account_ids[r.national_id], purpose, token_digest(token), now, expires))
        mails.append((r.email, (people[r.national_id][1], token)))
    BulkWriter(EmailToken, _TOKEN_FIELDS).write(token_rows)
    queue_merged(state.merge, mails)


# ---------------------------------------------------------------------------------------------
# Set-based lookups


def _select_by_id(model: type[Any], columns: str, ids: Iterable[str]) -> Iterator[tuple[Any, ...]]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for chunk in chunked(ids, _LOOKUP_CHUNK):
            where, params = in_list(chunk)
            query = f"SELECT {columns} FROM {table} WHERE national_id {where}"  # noqa: S608
            cursor.execute(query, params)
            yield from cursor.fetchall()


def _insured_people(
    unit_code: str, ids: Iterable[str], today: dt.date
) -> Iterator[tuple[str, int | None, str, str | None]]:
    """(ID, Person pk, name, account status) of each ID insured by the unit today (the roster
    check of cardreg.registry.roster, joined with the card registry and the accounts: one
    query per chunk of IDs instead of three)."""
    quote = connection.ops.quote_name
    roster, person, account = (
        quote(model._meta.db_table) for model in (RosterEntry, Person, Account)
    )
    query = (
        f"SELECT r.national_id, p.id, p.name, a.status FROM {roster} r"  # noqa: S608
        f" LEFT JOIN {person} p ON p.national_id = r.national_id"
        f" LEFT JOIN {account} a ON a.national_id = r.national_id"
        " WHERE r.unit_code = %s AND r.insured_from <= %s"
        " AND (r.insured_until IS NULL OR r.insured_until >= %s) AND r.national_id {ids}"
    )
    with connection.cursor() as cursor:
        for chunk in chunked(ids, _LOOKUP_CHUNK):
            where, params = in_list(chunk)
            cursor.execute(query.format(ids=where), [unit_code, today, today, *params])
            yield from cursor.fetchall()


def _account_ids(ids: Iterable[str]) -> dict[str, int]:
    return dict(_select_by_id(Account, "national_id, id", ids))


# ---------------------------------------------------------------------------------------------
# Finishing


def finish_done(batch: Batch, token: str) -> None:
    _finish(batch, token, BatchStatus.DONE, ("", ""))


def finish_failed(batch: Batch, token: str, failure: Failure) -> None:
    _finish(batch, token, BatchStatus.FAILED, both(functools.partial(failure_message, failure)))


def _finish(batch: Batch, token: str, status: str, reason: tuple[str, str]) -> None:
    """Write the log, end the batch and queue the clerk's one mail, all in one transaction."""
    with transaction.atomic():
        locked = (
            Batch.objects.select_for_update()
            .select_related("unit")
            .defer("content")
            .filter(pk=batch.pk, claim_token=token, status=BatchStatus.PROCESSING)
            .first()
        )
        if locked is None:
            raise LostClaim
        now = timezone.now()
        log = write_log(locked, status, reason[0], now)
        locked.status, locked.finished_at = status, now
        locked.failure_reason, locked.failure_reason_en = reason
        locked.log_name, locked.log = log_file_name(locked), log
        locked.lease_until, locked.claim_token = None, ""
        locked.save(
            update_fields=[
                "status",
                "finished_at",
                "failure_reason",
                "failure_reason_en",
                "log_name",
                "log",
                "lease_until",
                "claim_token",
            ]
        )
        _queue_clerk_mail(locked, log)
        record_event(
            "employers.batch_finished",
            actor="system",
            subject=f"batch:{locked.pk}",
            unit=locked.unit.code,
            status=status,
            total=locked.total,
            succeeded=locked.succeeded,
            failed=locked.failed,
        )
    logger.info(
        "batch %s %s: %d rows, %d registered, %d failed",
        batch.pk,
        status,
        locked.total,
        locked.succeeded,
        locked.failed,
    )


def _queue_clerk_mail(batch: Batch, log: bytes) -> None:
    attachments, attached = _log_attachments(batch.log_name, log)
    submitted = timezone.localtime(batch.submitted_at or batch.created_at)
    queue_mail(
        to=batch.contact_email,
        template="batch_done" if batch.status == BatchStatus.DONE else "batch_failed",
        context={
            "contact_name": batch.contact_name,
            "unit": batch.unit,
            "file_name": batch.file_name,
            "uploaded_on": mail_date(submitted.date(), batch.language),
            "total": batch.total,
            "succeeded": batch.succeeded,
            "failed": batch.failed,
            "unprocessed": batch.total - batch.processed,
            "days": settings.CARDREG_CONFIRM_DAYS,
            "resend_days": settings.CARDREG_EMPLOYER_PENDING_RESEND_DAYS,
            "log_attached": attached,
            "log_name": batch.log_name,
            "reason": batch.failure_reason_en
            if batch.language.startswith("en")
            else batch.failure_reason,
        },
        language=batch.language,
        attachments=attachments,
        dedup_key=f"batch-finished:{batch.pk}",
    )


def _log_attachments(name: str, archive: bytes) -> tuple[list[Attachment], bool]:
    """The log itself; zipped if large; none if still over the limit (the history has it)."""
    limit = settings.CARDREG_BATCH_LOG_ATTACH_MAX_BYTES
    if log_size(archive) <= limit:
        return [Attachment(name, read_log(archive), "text/plain; charset=utf-8")], True
    if len(archive) <= limit:
        return [Attachment(f"{name}.zip", archive, "application/zip")], True
    return [], False


__all__ = ["LostClaim", "check_rows", "claim_next", "next_due_at", "process_next", "run"]
