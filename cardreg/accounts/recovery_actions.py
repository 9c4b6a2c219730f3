"""Before login, for the holder of a proven card: 重寄確認信, 刪除註冊申請, 忘記註冊密碼."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import timedelta
from typing import cast

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cardreg.accounts.actions import (
    audit,
    awaits_activation,
    clear_login_failures,
    mail_language,
    queue_confirmation_mail,
    site_url,
    wrong_card_audited,
)
from cardreg.accounts.activation import queue_activation_link
from cardreg.accounts.change_actions import queue_email_change_notice, store_new_password
from cardreg.accounts.models import Account, AccountStatus, TokenPurpose
from cardreg.accounts.signals import account_recovered
from cardreg.accounts.tokens import (
    LinkProblem,
    check_usable,
    issue_token,
    link_url,
    locked_token,
    token_digest,
)
from cardreg.cards.models import Person
from cardreg.lib.masking import mask_national_id
from cardreg.mail.actions import queue_mail
from cardreg.mail.tasks import wake_worker

# The stand-in's id: never a saved account's (ids start at 1), and its rows are rolled back.
STAND_IN_PK = -1


class _Undo(Exception):
    """Rolls back what was done for a stand-in."""


def _same_work(account: Account | None, person: Person, work: Callable[[Account], None]) -> bool:
    """``work`` for ``account``, or, without one, for an unsaved stand-in of the card holder in
    a savepoint then rolled back: the same statements, hashing and mail rendering either way,
    so the time the request takes does not tell whether the holder has an account. Nothing of
    the stand-in is kept and no mail goes. True if the work was kept."""
    if account is not None:
        with transaction.atomic():  # the savepoint the stand-in's work has too
            work(account)
        return True
    stand_in = Account(
        pk=STAND_IN_PK,
        person=person,
        national_id=person.national_id,
        email="stand-in@example.invalid",
        status=AccountStatus.PENDING,
    )
    stand_in.set_unusable_password()
    try:
        with transaction.atomic():
            work(stand_in)
            raise _Undo
    except _Undo:
        pass
    wake_worker()  # the real work wakes the mail worker after commit; so does this
    return False


class Resent(enum.StrEnum):
    NOTHING = "nothing"  # no pending application: none ever, active, or void and deleted
    CONFIRMATION = "confirmation"  # 確認信 of one who applied himself
    ACTIVATION = "activation"  # 認證信 of one his employer registered


@transaction.atomic
def resend_confirmation(
    request: HttpRequest, *, card_person: Person, new_email: str = ""
) -> Resent:
    """A new confirmation link for the holder's pending application, if there is one (an
    activation link if his employer registered him), optionally to a corrected address.
    NOTHING does not tell an application that never was from one deleted as void."""
    account = (
        Account.objects.select_for_update()
        .select_related("person")
        .filter(person=card_person, status=AccountStatus.PENDING)
        .first()
    )
    corrected = False
    if account is not None and new_email and new_email.lower() != account.email.lower():
        corrected = True
        # The old address hears of it: the card alone moved the link to another mailbox.
        queue_email_change_notice(account, new_email, application=True)
        account.email = new_email
        if account.email_backup.lower() == new_email.lower():
            account.email_backup = ""  # the backup may not repeat the primary address
        account.save(update_fields=["email", "email_backup"])
    activation = account is not None and awaits_activation(account)

    def send(account: Account) -> None:
        if activation:  # made by an employer: 重寄認證信, a link to 健保卡註冊認證作業
            queue_activation_link(account)
        else:
            lifetime = timedelta(days=settings.CARDREG_CONFIRM_DAYS)
            token = issue_token(account, TokenPurpose.CONFIRM_EMAIL, lifetime=lifetime)
            queue_confirmation_mail(account, token)
        detail = {"email_corrected": corrected, "activation": activation}
        audit("account.confirmation_resent", request, account, **detail)

    if not _same_work(account, card_person, send):
        return Resent.NOTHING
    return Resent.ACTIVATION if activation else Resent.CONFIRMATION


class DeleteRefused(Exception):
    """``reason``: none (no application), active (a registered account is not deleted here)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def pending_application(person: Person, *, for_update: bool = False) -> Account:
    """The person's application waiting for e-mail confirmation, or DeleteRefused."""
    accounts = Account.objects.select_for_update() if for_update else Account.objects.all()
    account = accounts.select_related("person").filter(person=person).first()
    if account is None:
        raise DeleteRefused("none")
    if account.status != AccountStatus.PENDING:
        raise DeleteRefused("active")
    return account


@transaction.atomic
def delete_application(request: HttpRequest, *, person: Person) -> None:
    """Delete the pending application (its links go with it) and tell the applicant."""
    account = pending_application(person, for_update=True)
    queue_mail(
        to=account.email,
        template="registration_deleted",
        context={"name": person.name, "register_url": site_url("/account/register")},
        language=mail_language(),
    )
    account.delete()
    audit("account.application_deleted", request, person)


@transaction.atomic
def request_password_reset(request: HttpRequest, *, card_person: Person) -> None:
    """Mail a reset link to an active account's primary address. Returns nothing on purpose:
    the page answers the same whether or not the holder has an active account."""
    account = (
        Account.objects.select_related("person")
        .filter(person=card_person, status=AccountStatus.ACTIVE)
        .first()
    )

    def send(account: Account) -> None:
        lifetime = timedelta(hours=settings.CARDREG_RESET_HOURS)
        token = issue_token(account, TokenPurpose.RESET_PASSWORD, lifetime=lifetime)
        queue_mail(
            to=account.email,
            template="password_reset",
            context={
                "name": account.person.name,
                "reset_url": link_url("/account/reset", token),
                "hours": settings.CARDREG_RESET_HOURS,
            },
            language=mail_language(),
            dedup_key=f"reset:{token_digest(token)}",
        )
        audit("account.password_reset_requested", request, account)

    _same_work(account, card_person, send)


def reset_password(
    request: HttpRequest, *, token: str, card_person: Person, password: str
) -> Account:
    """Set a new password from a valid reset link, when the card is the account holder's: a
    stolen mailbox alone is not enough. Every session of the account ends and every bound
    device is revoked (the mail lists them). Raises LinkProblem."""
    with wrong_card_audited("account.reset_wrong_card", request, card_person):
        return _reset(request, token=token, card_person=card_person, password=password)


@transaction.atomic
def _reset(request: HttpRequest, *, token: str, card_person: Person, password: str) -> Account:
    row = locked_token(token, TokenPurpose.RESET_PASSWORD)
    check_usable(row)
    account = row.account
    if account.person_id != card_person.pk:
        raise LinkProblem("wrong_card", subject=mask_national_id(account.national_id))
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    answers = account_recovered.send(sender=Account, request=request, account=account)
    # The stubs type a receiver's answer loosely; account_recovered's receivers return list[str].
    revoked = [name for _receiver, names in answers for name in cast(list[str], names)]
    store_new_password(request, account, password, how="reset", revoked_devices=revoked)
    clear_login_failures(card_person)  # the card and the mailbox are proven
    return account
