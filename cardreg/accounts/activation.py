"""健保卡註冊認證作業 (SPEC §2.4, registrant side): an account an employer's batch upload made has
no password; its holder opens the mailed link, proves his card and sets his own password, and
only then is the account active. 重寄認證信 mails such an account a new link."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cardreg.accounts.actions import mail_language, queue_completion_mail, wrong_card_audited
from cardreg.accounts.models import Account, AccountStatus, EmailToken, TokenPurpose
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
from cardreg.lib.masking import mask_national_id
from cardreg.lib.roc_date import format_roc_text
from cardreg.mail.actions import queue_mail

ACTIVATE_PATH = "/account/activate"


def activation_url(token: str) -> str:
    return link_url(ACTIVATE_PATH, token)


def _usable(token: str) -> EmailToken:
    """The locked row of a link that may still activate its account, or LinkProblem."""
    row = locked_token(token, TokenPurpose.ACTIVATE)
    if row.account.status == AccountStatus.ACTIVE:
        raise LinkProblem("already")
    check_usable(row)
    return row


def activation_account(token: str) -> Account:
    """The account of a link that can still be used, for the page that then asks for the card
    and the password; raises LinkProblem."""
    with transaction.atomic():
        return _usable(token).account


def activate_account(
    request: HttpRequest, *, token: str, card_person: Person, password: str
) -> Account:
    """The link's pending account becomes active with ``password``, when the card is its
    holder's. Raises LinkProblem (a wrong card is audited)."""
    with wrong_card_audited("account.activate_wrong_card", request, card_person):
        return _activate(request, token=token, card_person=card_person, password=password)


@transaction.atomic
def _activate(request: HttpRequest, *, token: str, card_person: Person, password: str) -> Account:
    row = _usable(token)
    account = row.account
    actor = mask_national_id(account.national_id)
    if account.person_id != card_person.pk:
        raise LinkProblem("wrong_card", subject=actor)
    now = timezone.now()
    row.used_at = now
    row.save(update_fields=["used_at"])
    account.set_password(password)
    account.status, account.activated_at = AccountStatus.ACTIVE, now
    account.save(update_fields=["password", "status", "activated_at"])
    queue_completion_mail(account)
    record_event("account.activated", actor=actor, request=request)
    return account


def queue_activation_link(account: Account) -> None:
    """重寄認證信: a new link (the older ones stop working), inside the caller's transaction."""
    days = settings.CARDREG_CONFIRM_DAYS
    token = issue_token(account, TokenPurpose.ACTIVATE, lifetime=timedelta(days=days))
    expires = timezone.localtime(timezone.now() + timedelta(days=days)).date()
    queue_mail(
        to=account.email,
        template="activation_link",
        context={
            "name": account.person.name,
            "link": activation_url(token),
            "days": days,
            "expires": format_roc_text(expires),
            "resend_days": settings.CARDREG_EMPLOYER_PENDING_RESEND_DAYS,
        },
        language=mail_language(),
        dedup_key=f"activate:{token_digest(token)}",
    )
