"""Housekeeping of pending registrations: the reminder a day before the link runs out, the purge
of void applications, and the hourly task that keeps itself scheduled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cardreg import housekeeping as hourly
from cardreg.accounts.housekeeping import purge_expired_pending, send_expiry_reminders
from cardreg.accounts.models import (
    Account,
    AccountOrigin,
    AccountStatus,
    EmailToken,
    TokenPurpose,
)
from cardreg.accounts.tests.conftest import active_account, mailed_token, register
from cardreg.accounts.tests.test_activate import activate, employer_account, link_in
from cardreg.accounts.tests.test_confirm import confirm
from cardreg.accounts.tests.test_resend import resend
from cardreg.audit.models import AuditEvent
from cardreg.cards.models import Person
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.devices.models import Device
from cardreg.employers.models import InsuranceUnit
from cardreg.employers.testing import batch_rows, csv_bytes, submitted_batch
from cardreg.housekeeping import HousekeepingFailed, housekeeping, run_housekeeping
from cardreg.mail.models import OutboxMessage

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def expire_in(delta: dt.timedelta, account: Account | None = None) -> dt.datetime:
    """Make the account's (every account's) links run out ``delta`` from now."""
    at = timezone.now() + delta
    tokens = EmailToken.objects.filter(account=account) if account else EmailToken.objects
    tokens.update(expires_at=at)
    return at


def reminders() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template="link_reminder").order_by("id"))


# --- the reminder ----------------------------------------------------------------------------


def test_a_link_about_to_run_out_is_reminded_of_once_and_both_links_work(db: None) -> None:
    card = make_signed_card()
    account, first = employer_account(card)
    expires = expire_in(20 * HOUR)

    assert send_expiry_reminders(timezone.now()) == 1
    assert send_expiry_reminders(timezone.now()) == 0
    assert send_expiry_reminders(timezone.now() + 2 * HOUR) == 0

    (mail,) = reminders()
    assert mail.recipient == "lin@example.tw"
    assert mail.subject == "健保卡網路服務-認證信到期提醒"
    assert f"{account.person.name} 您好" in mail.text and "到期" in mail.text
    second = link_in(mail)
    assert second != first
    tokens = EmailToken.objects.filter(account=account)
    assert set(tokens.values_list("expires_at", flat=True)) == {expires}  # the same expiry
    assert not tokens.filter(superseded_at__isnull=False).exists()
    # Either link works: the reminder's here, and the first one would have (it is not
    # superseded) until the account became active.
    assert "認證完成" in activate(card, second).content.decode()
    assert "此帳號已經完成認證" in activate(card, first).content.decode()


def test_the_first_link_still_works_after_the_reminder(db: None) -> None:
    card = make_signed_card()
    _, first = employer_account(card)
    expire_in(3 * HOUR)
    send_expiry_reminders(timezone.now())
    assert "認證完成" in activate(card, first).content.decode()


def test_a_self_registration_is_reminded_with_a_confirmation_link(applicant: SignedCard) -> None:
    register(Client(), applicant)
    expire_in(10 * HOUR)
    send_expiry_reminders(timezone.now())
    (mail,) = reminders()
    assert mail.subject == "健保卡網路服務註冊-電子信箱認證到期提醒"
    assert (
        "電子信箱認證成功" in confirm(applicant, link_in(mail, "/account/confirm")).content.decode()
    )


def test_only_pending_accounts_with_a_link_running_out_within_a_day_are_reminded(
    db: None,
) -> None:
    later, gone, active, resent = (make_signed_card() for _ in range(4))
    expire_in(30 * HOUR, employer_account(later)[0])
    expire_in(-HOUR, employer_account(gone)[0])
    active_account(active)
    issue = EmailToken.objects.create  # an active account's old, unused link
    issue(
        account=Account.objects.get(person=active.person),
        purpose=TokenPurpose.CONFIRM_EMAIL,
        digest="d" * 64,
        created_at=timezone.now(),
        expires_at=timezone.now() + HOUR,
    )
    account, _ = employer_account(resent)
    expire_in(HOUR, account)
    resend(resent)  # a new link for five days; the old one is superseded

    assert send_expiry_reminders(timezone.now()) == 0


def test_the_selection_is_one_query_whatever_the_number_of_accounts(db: None) -> None:
    for _ in range(6):
        employer_account(make_signed_card(), email="many@example.tw")
    expire_in(HOUR)
    with CaptureQueriesContext(connection) as queries:
        assert send_expiry_reminders(timezone.now()) == 6
    token_selects = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "accounts_emailtoken"' in q["sql"]
    ]
    assert len(token_selects) == 2  # the selection, then the chunk's locked re-selection
    assert EmailToken.objects.count() == 12


# --- the purge -------------------------------------------------------------------------------


def backdate(account: Account, days: int) -> None:
    Account.objects.filter(pk=account.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


def test_void_applications_are_deleted_with_their_links_and_audited(
    applicant: SignedCard, settings: Any
) -> None:
    settings.CARDREG_PENDING_PURGE_GRACE_HOURS = 24
    settings.CARDREG_EMPLOYER_PENDING_RESEND_DAYS = 30
    employer_made, self_made = make_signed_card(), applicant
    account, _ = employer_account(employer_made)
    register(Client(), self_made)
    for old in Account.objects.all():
        backdate(old, 40)
    expire_in(-25 * HOUR, Account.objects.get(origin=AccountOrigin.SELF))
    expire_in(-31 * DAY, account)  # past the 30 days of 重寄認證信
    Device.objects.create(
        account=account,
        name="手機",
        credential_id="c1",
        public_key=b"k",
        user_handle="h",
        created_at=timezone.now(),
    )

    assert purge_expired_pending(timezone.now()) == 2

    assert not Account.objects.exists()
    assert not EmailToken.objects.exists()
    assert not Device.objects.exists()
    assert Person.objects.count() == 2  # the card registry stays
    events = AuditEvent.objects.filter(action="account.pending_purged")
    assert sorted(events.values_list("actor", flat=True)) == sorted(
        f"{card.person.national_id[:6]}****" for card in (employer_made, self_made)
    )
    assert {e.detail["origin"] for e in events} == {"employer", "self"}


def test_applications_still_in_time_or_active_are_kept(db: None) -> None:
    in_grace, live, resent, active = (make_signed_card() for _ in range(4))
    for card in (in_grace, live, resent):
        backdate(employer_account(card)[0], 40)
    expire_in(-29 * DAY, Account.objects.get(person=in_grace.person))
    expire_in(HOUR, Account.objects.get(person=live.person))
    expire_in(-31 * DAY, Account.objects.get(person=resent.person))
    resend(resent)  # a new link: the application lives again
    activated = active_account(active)
    backdate(activated, 30)
    EmailToken.objects.create(
        account=activated,
        purpose=TokenPurpose.CONFIRM_EMAIL,
        digest="e" * 64,
        created_at=timezone.now() - dt.timedelta(days=30),
        expires_at=timezone.now() - dt.timedelta(days=25),
    )

    assert purge_expired_pending(timezone.now()) == 0
    assert Account.objects.count() == 4
    assert not AuditEvent.objects.filter(action="account.pending_purged").exists()


def test_the_grace_period_is_a_setting(applicant: SignedCard, settings: Any) -> None:
    settings.CARDREG_PENDING_PURGE_GRACE_HOURS = 2
    register(Client(), applicant)
    backdate(Account.objects.get(), 7)
    expire_in(-3 * HOUR)
    assert purge_expired_pending(timezone.now()) == 1


def test_an_employer_made_application_is_kept_for_its_resend_period(
    applicant: SignedCard, settings: Any
) -> None:
    settings.CARDREG_PENDING_PURGE_GRACE_HOURS = 24
    settings.CARDREG_EMPLOYER_PENDING_RESEND_DAYS = 30
    employer_made = employer_account(make_signed_card())[0]
    register(Client(), applicant)
    for account in Account.objects.all():
        backdate(account, 40)
    expire_in(-29 * DAY)

    assert purge_expired_pending(timezone.now()) == 1  # only the self-made one
    assert list(Account.objects.all()) == [employer_made]
    assert purge_expired_pending(timezone.now() + 2 * DAY) == 1
    assert not Account.objects.exists()


def test_the_resend_period_is_a_setting(db: None, settings: Any) -> None:
    settings.CARDREG_EMPLOYER_PENDING_RESEND_DAYS = 3
    backdate(employer_account(make_signed_card())[0], 10)
    expire_in(-2 * DAY)
    assert purge_expired_pending(timezone.now()) == 0
    expire_in(-4 * DAY)
    assert purge_expired_pending(timezone.now()) == 1


def test_a_purged_registrant_can_register_again(applicant: SignedCard) -> None:
    register(Client(), applicant)
    backdate(Account.objects.get(), 7)
    expire_in(-2 * dt.timedelta(days=1))
    purge_expired_pending(timezone.now())
    register(Client(), applicant)
    assert Account.objects.get().status == AccountStatus.PENDING
    assert mailed_token("/account/confirm")


# --- the hourly task -------------------------------------------------------------------------


def housekeeping_waiting() -> list[DBTaskResult[..., Any]]:
    return list(
        DBTaskResult.objects.filter(status="READY", task_path="cardreg.housekeeping.housekeeping")
    )


def test_each_run_schedules_exactly_one_next_run(db: None) -> None:
    before = timezone.now()
    housekeeping.call()
    housekeeping.call()
    (waiting,) = housekeeping_waiting()
    assert before + HOUR <= waiting.run_after <= timezone.now() + HOUR


def test_the_command_schedules_the_chain_once_and_runs_once(db: None) -> None:
    call_command("housekeeping", "--schedule", verbosity=0)
    call_command("housekeeping", "--schedule", verbosity=0)
    housekeeping.call()
    assert len(housekeeping_waiting()) == 1

    backdate(employer_account(make_signed_card())[0], 40)
    expire_in(-31 * DAY)
    call_command("housekeeping", verbosity=0)
    assert not Account.objects.exists()
    assert len(housekeeping_waiting()) == 1  # a run by hand does not start a second chain


def test_old_finished_task_results_are_pruned(db: None) -> None:
    housekeeping.call()
    (row,) = housekeeping_waiting()
    row.claim("test-worker")
    row.set_successful({})
    DBTaskResult.objects.filter(pk=row.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=15)
    )
    housekeeping.call()
    assert not DBTaskResult.objects.filter(pk=row.pk).exists()


def test_a_waiting_batch_gets_a_sweep(db: None) -> None:
    unit = InsuranceUnit.objects.create(code="133397421", name="測試公司")
    submitted_batch(unit, csv_bytes(batch_rows(["A123456789"])))
    housekeeping.call()
    housekeeping.call()
    sweeps = DBTaskResult.objects.filter(status="READY", task_path__endswith="process_batches")
    assert sweeps.count() == 1


def test_a_failing_step_does_not_keep_the_others_from_their_work(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(now: dt.datetime) -> int:
        raise RuntimeError("the mail templates are missing")

    monkeypatch.setitem(hourly.STEPS, "reminders", broken)
    backdate(employer_account(make_signed_card())[0], 40)
    expire_in(-31 * DAY)
    with pytest.raises(HousekeepingFailed, match="reminders"):
        run_housekeeping(timezone.now())
    assert not Account.objects.exists()


def test_reminders_of_one_batch_are_one_mail_merge(db: None) -> None:
    for _ in range(3):
        employer_account(make_signed_card())
    expire_in(5 * HOUR)  # a batch's links run out together
    assert send_expiry_reminders(timezone.now()) == 3
    mails = reminders()
    assert len({mail.shared_body_id for mail in mails}) == 1
    assert len({link_in(mail) for mail in mails}) == 3  # each his own new link


def test_task_runs_left_running_by_a_killed_worker_are_marked_failed(
    db: None, settings: Any
) -> None:
    settings.CARDREG_TASK_STALE_HOURS = 6
    housekeeping.call()
    (old,) = housekeeping_waiting()
    old.claim("killed-worker")
    DBTaskResult.objects.filter(pk=old.pk).update(started_at=timezone.now() - 7 * HOUR)
    fresh = housekeeping.using(run_after=timezone.now() + DAY).enqueue()
    fresh_row = DBTaskResult.objects.get(pk=fresh.id)
    fresh_row.claim("busy-worker")
    DBTaskResult.objects.filter(pk=fresh_row.pk).update(started_at=timezone.now() - 5 * HOUR)
    done = run_housekeeping(timezone.now())
    assert done["stale_tasks_failed"] == 1
    assert DBTaskResult.objects.get(pk=old.pk).status == "FAILED"
    assert DBTaskResult.objects.get(pk=fresh_row.pk).status == "RUNNING"
    event = AuditEvent.objects.get(action="tasks.stale_failed")
    assert event.detail == {"count": 1}
