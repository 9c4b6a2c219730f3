"""Account actions: each changes state, queues its mail and writes its audit event in one go.

Registration, confirmation and login are here; the functions before login (重寄確認信,
刪除註冊申請, 忘記註冊密碼) are in recovery_actions.py, the changes after login in
change_actions.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from cardreg.accounts import throttle
from cardreg.accounts.middleware import AUTH_METHOD, LOGIN_AT
from cardreg.accounts.models import Account, AccountStatus, TokenPurpose
from cardreg.accounts.tokens import (
    LinkProblem,
    check_usable,
    issue_token,
    link_url,
    locked_token,
    token_digest,
)
from cardreg.audit.actions import record_event
from cardreg.cards.models import Person
from cardreg.clientaddr import client_address
from cardreg.lib.masking import mask_national_id
from cardreg.mail.actions import queue_mail

LOGIN_WINDOW = timedelta(days=1)


class AlreadyRegistered(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def existing_account_status(person: Person) -> str | None:
    return Account.objects.filter(person=person).values_list("status", flat=True).first()


def site_url(path: str) -> str:
    return settings.CARDREG_PUBLIC_URL.rstrip("/") + path


def mail_language() -> str:
    """Mails go out in the language of the page the user was on."""
    return get_language() or settings.LANGUAGE_CODE


def confirm_url(token: str) -> str:
    return link_url("/account/confirm", token)


def queue_confirmation_mail(account: Account, token: str) -> None:
    queue_mail(
        to=account.email,
        template="registration_confirm",
        context={
            "name": account.person.name,
            "confirm_url": confirm_url(token),
            "days": settings.CARDREG_CONFIRM_DAYS,
        },
        language=mail_language(),
        dedup_key=f"confirm:{token_digest(token)}",
    )


def audit(action: str, request: HttpRequest, holder: Account | Person, **detail: Any) -> None:
    """An audit event by the account holder (or card holder), masked."""
    record_event(action, actor=mask_national_id(holder.national_id), request=request, **detail)


@contextmanager
def wrong_card_audited(action: str, request: HttpRequest, card_person: Person) -> Iterator[None]:
    """Record a link refused for the wrong card. Outside the action's transaction, which the
    refusal rolls back, so the attempt stays on file."""
    try:
        yield
    except LinkProblem as problem:
        if problem.reason == "wrong_card":
            actor = mask_national_id(card_person.national_id)
            record_event(action, actor=actor, subject=problem.subject, request=request)
        raise


@transaction.atomic
def submit_registration(
    request: HttpRequest,
    *,
    person: Person,
    password: str,
    mobile: str,
    phone: str,
    email: str,
    email_backup: str,
) -> Account:
    """Create the pending account and mail the confirmation link; one account per person."""
    account = Account(
        person=person,
        national_id=person.national_id,
        mobile=mobile,
        phone=phone,
        email=email,
        email_backup=email_backup,
    )
    account.set_password(password)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        raise AlreadyRegistered(existing_account_status(person) or AccountStatus.PENDING) from None
    token = issue_token(
        account, TokenPurpose.CONFIRM_EMAIL, lifetime=timedelta(days=settings.CARDREG_CONFIRM_DAYS)
    )
    queue_confirmation_mail(account, token)
    record_event("account.registered", actor=mask_national_id(person.national_id), request=request)
    return account


def confirm_email(request: HttpRequest, *, token: str, card_person: Person) -> Account:
    """Activate the account of a valid, newest, unexpired link, when the card is the applicant's.
    Raises LinkProblem."""
    with wrong_card_audited("account.confirm_wrong_card", request, card_person):
        return _activate(request, token=token, card_person=card_person)


@transaction.atomic
def _activate(request: HttpRequest, *, token: str, card_person: Person) -> Account:
    row = locked_token(token, TokenPurpose.CONFIRM_EMAIL)
    account = row.account
    if account.status == AccountStatus.ACTIVE:
        raise LinkProblem("already")
    check_usable(row)
    actor = mask_national_id(account.national_id)
    if account.person_id != card_person.pk:
        raise LinkProblem("wrong_card", subject=actor)
    if not account.has_usable_password():
        # An employer-made account sets its password at /account/activate, never without one.
        raise LinkProblem("invalid")
    now = timezone.now()
    row.used_at = now
    row.save(update_fields=["used_at"])
    account.status, account.activated_at = AccountStatus.ACTIVE, now
    account.save(update_fields=["status", "activated_at"])
    queue_completion_mail(account)
    record_event("account.confirmed", actor=actor, request=request)
    return account


def queue_completion_mail(account: Account) -> None:
    """The 完成通知信 of an account that has just become active (once per account)."""
    queue_mail(
        to=account.email,
        template="registration_complete",
        context={
            "name": account.person.name,
            "login_url": site_url("/"),
            "services_url": site_url("/account/services"),
        },
        language=mail_language(),
        dedup_key=f"complete:{account.pk}",
    )


def awaits_activation(account: Account) -> bool:
    """Made by an employer and not yet activated: its holder has never set a password."""
    return account.status == AccountStatus.PENDING and not account.has_usable_password()


class LoginRefused(Exception):
    """``reason``: failed (wrong password or no account: one answer), wait, pending."""

    def __init__(self, reason: str, wait: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.wait = reason, wait


def _throttle_keys(request: HttpRequest, person: Person) -> list[tuple[str, str, int]]:
    ip = client_address(request)
    return [
        ("login-person", str(person.pk), settings.CARDREG_LOGIN_FREE_FAILURES),
        ("login-ip", ip, settings.CARDREG_LOGIN_FREE_FAILURES_PER_IP),
    ]


def login_wait(request: HttpRequest, person: Person) -> int:
    """Seconds before this person, or this address, may try a password again (0: now)."""
    keys = _throttle_keys(request, person)
    return max(throttle.wait_seconds(scope, key) for scope, key, _ in keys)


def count_login_failure(request: HttpRequest, person: Person) -> None:
    """A wrong password: after a few, each one doubles the wait (never a permanent lock)."""
    for scope, key, free in _throttle_keys(request, person):
        throttle.fail(
            scope,
            key,
            free=free,
            window=LOGIN_WINDOW,
            max_delay=settings.CARDREG_LOGIN_MAX_DELAY_SECONDS,
        )


def clear_login_failures(person: Person) -> None:
    throttle.reset("login-person", str(person.pk))


def login_with_card(request: HttpRequest, *, card_person: Person, password: str) -> Account:
    """Card (already proven) + registration password → a new login session."""
    wait = login_wait(request, card_person)
    if wait:
        raise LoginRefused("wait", wait)
    account = Account.objects.filter(person=card_person).first()
    if account is not None and awaits_activation(account):
        # Made by an employer: no password yet, so none is wrong; 認證 is what is missing.
        Account().set_password(password)  # spend the hashing time all the same
        raise LoginRefused("pending")
    if account is None:
        Account().set_password(password)  # spend the hashing time: both answers take as long
        valid = False
    else:
        valid = account.check_password(password)
    actor = mask_national_id(card_person.national_id)
    if account is None or not valid:
        count_login_failure(request, card_person)
        record_event("account.login_failed", actor=actor, request=request)
        raise LoginRefused("failed")
    clear_login_failures(card_person)
    if account.status != AccountStatus.ACTIVE:
        raise LoginRefused("pending")
    auth.login(request, account)  # a new session key: no session fixation
    request.session[LOGIN_AT] = timezone.now().isoformat()
    request.session[AUTH_METHOD] = "card"
    record_event("account.login", actor=actor, request=request)
    return account


def logout_account(request: HttpRequest) -> None:
    user = request.user
    if isinstance(user, Account):
        record_event("account.logout", actor=mask_national_id(user.national_id), request=request)
    auth.logout(request)  # deletes the session on the server
