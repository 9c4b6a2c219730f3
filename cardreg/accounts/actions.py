"""Account actions: each changes state, queues its mail and writes its audit event in one go."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import auth
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from cardreg.accounts import throttle
from cardreg.accounts.middleware import AUTH_METHOD, LOGIN_AT
from cardreg.accounts.models import Account, AccountStatus, EmailToken, TokenPurpose
from cardreg.accounts.tokens import issue_token, token_digest
from cardreg.audit.actions import record_event
from cardreg.cards.models import Person
from cardreg.lib.masking import mask_national_id
from cardreg.mail.actions import queue_mail

LOGIN_WINDOW = timedelta(days=1)


class AlreadyRegistered(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def existing_account_status(person: Person) -> str | None:
    return Account.objects.filter(person=person).values_list("status", flat=True).first()


def _url(path: str) -> str:
    return settings.CARDREG_PUBLIC_URL.rstrip("/") + path


def confirm_url(token: str) -> str:
    # The token rides in the fragment: browsers never send it, so no server log holds it.
    return _url(f"/account/confirm#{token}")


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
    queue_mail(
        to=email,
        template="registration_confirm",
        context={
            "name": person.name,
            "confirm_url": confirm_url(token),
            "days": settings.CARDREG_CONFIRM_DAYS,
        },
        language=get_language() or settings.LANGUAGE_CODE,
        dedup_key=f"confirm:{token_digest(token)}",
    )
    record_event("account.registered", actor=mask_national_id(person.national_id), request=request)
    return account


class ConfirmProblem(Exception):
    """Why a confirmation link was not accepted: invalid, superseded, expired, used, wrong_card."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def confirm_email(request: HttpRequest, *, token: str, card_person: Person) -> Account:
    """Activate the account of a valid, newest, unexpired link, when the card is the applicant's."""
    row = (
        EmailToken.objects.select_for_update()
        .select_related("account__person")
        .filter(digest=token_digest(token), purpose=TokenPurpose.CONFIRM_EMAIL)
        .first()
    )
    if row is None:
        raise ConfirmProblem("invalid")
    account = row.account
    if account.status == AccountStatus.ACTIVE:
        raise ConfirmProblem("already")
    if row.superseded_at is not None:
        raise ConfirmProblem("superseded")
    if row.expires_at <= timezone.now():
        raise ConfirmProblem("expired")
    actor = mask_national_id(account.national_id)
    if account.person_id != card_person.pk:
        record_event("account.confirm_wrong_card", actor=actor, request=request)
        raise ConfirmProblem("wrong_card")
    now = timezone.now()
    row.used_at = now
    row.save(update_fields=["used_at"])
    account.status, account.activated_at = AccountStatus.ACTIVE, now
    account.save(update_fields=["status", "activated_at"])
    queue_mail(
        to=account.email,
        template="registration_complete",
        context={
            "name": account.person.name,
            "login_url": _url("/"),
            "services_url": _url("/account/services"),
        },
        language=get_language() or settings.LANGUAGE_CODE,
        dedup_key=f"complete:{account.pk}",
    )
    record_event("account.confirmed", actor=actor, request=request)
    return account


class LoginRefused(Exception):
    """``reason``: failed (wrong password or no account: one answer), wait, pending."""

    def __init__(self, reason: str, wait: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.wait = reason, wait


def _throttle_keys(request: HttpRequest, person: Person) -> list[tuple[str, str, int]]:
    ip = request.META.get("REMOTE_ADDR", "")
    return [
        ("login-person", str(person.pk), settings.CARDREG_LOGIN_FREE_FAILURES),
        ("login-ip", ip, settings.CARDREG_LOGIN_FREE_FAILURES_PER_IP),
    ]


def login_with_card(request: HttpRequest, *, card_person: Person, password: str) -> Account:
    """Card (already proven) + registration password → a new login session."""
    keys = _throttle_keys(request, card_person)
    wait = max(throttle.wait_seconds(scope, key) for scope, key, _ in keys)
    if wait:
        raise LoginRefused("wait", wait)
    account = Account.objects.filter(person=card_person).first()
    if account is None:
        Account().set_password(password)  # spend the hashing time: both answers take as long
        valid = False
    else:
        valid = account.check_password(password)
    actor = mask_national_id(card_person.national_id)
    if account is None or not valid:
        for scope, key, free in keys:
            throttle.fail(
                scope,
                key,
                free=free,
                window=LOGIN_WINDOW,
                max_delay=settings.CARDREG_LOGIN_MAX_DELAY_SECONDS,
            )
        record_event("account.login_failed", actor=actor, request=request)
        raise LoginRefused("failed")
    throttle.reset("login-person", str(card_person.pk))
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
