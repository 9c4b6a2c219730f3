"""After a card login: 註冊密碼變更 and 帳號資料異動 (phones at once, a new primary e-mail only
after the link mailed to it is opened)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cardreg.accounts import messages as msg
from cardreg.accounts.actions import (
    audit,
    count_login_failure,
    login_wait,
    mail_language,
    site_url,
)
from cardreg.accounts.models import Account, TokenPurpose
from cardreg.accounts.tokens import (
    LinkProblem,
    check_usable,
    issue_token,
    link_url,
    locked_token,
    supersede_tokens,
    token_digest,
)
from cardreg.lib.masking import mask_email, mask_name
from cardreg.mail.actions import queue_mail

CONTACT_FIELDS = ("phone", "mobile", "email_backup")


def store_new_password(
    request: HttpRequest,
    account: Account,
    password: str,
    *,
    how: str,
    revoked_devices: Sequence[str] = (),
) -> None:
    """Set the password (``how``: change or reset), inside the caller's transaction. Every other
    session of the account ends with it: Django checks each session's hash of the password.
    Reset links still out stop working; the holder is told by mail, with the devices the reset
    revoked."""
    account.set_password(password)
    account.save(update_fields=["password"])
    supersede_tokens(account, TokenPurpose.RESET_PASSWORD)
    queue_mail(
        to=account.email,
        template="password_changed",
        context={
            "name": account.person.name,
            "how": how,
            "revoked_devices": list(revoked_devices),
            "login_url": site_url("/"),
            "forgot_url": site_url("/account/forgot"),
        },
        language=mail_language(),
    )
    audit("account.password_changed", request, account, how=how)


class PasswordChangeRefused(Exception):
    """``reason``: wrong (the current password), wait (too many wrong passwords, ``wait`` s)."""

    def __init__(self, reason: str, wait: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.wait = reason, wait


def change_password(
    request: HttpRequest, *, account: Account, current: str, new: str | None
) -> None:
    """The logged-in holder's new password. A wrong current password counts as a failed login.

    ``new`` is None when the form refused the new password: the current one is checked all the
    same, so that the page names every problem at once, and a wrong current password costs the
    same time and counts the same whatever was typed as the new one."""
    wait = login_wait(request, account.person)
    if wait:
        raise PasswordChangeRefused("wait", wait)
    if not account.check_password(current):
        count_login_failure(request, account.person)
        audit("account.login_failed", request, account, during="change_password")
        raise PasswordChangeRefused("wrong")
    if new is None:
        return
    with transaction.atomic():
        store_new_password(request, account, new, how="change")
    # This session follows the new password (and gets a new key); the others end.
    auth.update_session_auth_hash(request, account)


@dataclass(frozen=True)
class DataChange:
    fields: tuple[str, ...]  # changed at once, of CONTACT_FIELDS
    email_requested: bool  # a new primary address waits for its link


@transaction.atomic
def change_account_data(
    request: HttpRequest,
    *,
    account: Account,
    phone: str,
    mobile: str,
    email: str,
    email_backup: str,
) -> DataChange:
    """帳號資料異動: phones and the backup address change at once (the primary address is told);
    a new primary address is mailed a link and takes effect when it is opened."""
    new = {"phone": phone, "mobile": mobile, "email_backup": email_backup}
    fields = tuple(field for field in CONTACT_FIELDS if getattr(account, field) != new[field])
    if fields:
        for field in fields:
            setattr(account, field, new[field])
        account.save(update_fields=list(fields))
        queue_mail(
            to=account.email,
            template="contact_changed",
            context={
                "name": account.person.name,
                "items": [msg.CONTACT_FIELDS[field] for field in fields],
            },
            language=mail_language(),
        )
        audit("account.contact_changed", request, account, fields=list(fields))
    email_requested = email.lower() != account.email.lower()
    if email_requested:
        _request_email_change(request, account, email)
    return DataChange(fields=fields, email_requested=email_requested)


def _request_email_change(request: HttpRequest, account: Account, new_email: str) -> None:
    account.email_pending = new_email
    account.save(update_fields=["email_pending"])
    lifetime = timedelta(days=settings.CARDREG_CONFIRM_DAYS)
    token = issue_token(account, TokenPurpose.CHANGE_EMAIL, lifetime=lifetime)
    queue_mail(
        to=new_email,
        template="email_change_confirm",
        context={
            "name": account.person.name,
            "confirm_url": link_url("/account/confirm-email", token),
            "days": settings.CARDREG_CONFIRM_DAYS,
        },
        language=mail_language(),
        dedup_key=f"change-email:{token_digest(token)}",
    )
    queue_email_change_notice(account, new_email, application=False)
    audit("account.email_change_requested", request, account)


def queue_email_change_notice(account: Account, new_email: str, *, application: bool) -> None:
    """Tell the current primary address that mail is moving to ``new_email`` (masked: the old
    address may be the mistyped one being corrected, so it gets no personal data in full)."""
    queue_mail(
        to=account.email,
        template="email_change_requested",
        context={
            "name": mask_name(account.person.name),
            "new_email": mask_email(new_email),
            "application": application,
        },
        language=mail_language(),
    )


@transaction.atomic
def confirm_email_change(request: HttpRequest, *, token: str) -> Account:
    """The link mailed to the new address was opened: it becomes the primary address. Reset
    links sent to the old address stop working. Raises LinkProblem."""
    row = locked_token(token, TokenPurpose.CHANGE_EMAIL)
    check_usable(row)
    account = row.account
    if not account.email_pending:
        raise LinkProblem("invalid")
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    account.email, account.email_pending = account.email_pending, ""
    fields = ["email", "email_pending"]
    if account.email_backup.lower() == account.email.lower():
        account.email_backup = ""  # the backup may not repeat the primary address
        fields.append("email_backup")
    account.save(update_fields=fields)
    supersede_tokens(account, TokenPurpose.RESET_PASSWORD)
    audit("account.email_changed", request, account)
    return account
