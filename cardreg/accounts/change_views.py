"""After a card login: 註冊密碼變更, 帳號資料異動, and the link that confirms a new e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from cardreg.accounts import change_actions
from cardreg.accounts import messages as msg
from cardreg.accounts.access import card_login_required, current_account, recently_authenticated
from cardreg.accounts.card_again import card_again_page, check_card_again
from cardreg.accounts.change_actions import DataChange, PasswordChangeRefused
from cardreg.accounts.forms import ChangePasswordForm, ContactForm, contact_initial, personal_data
from cardreg.accounts.models import Account
from cardreg.accounts.tokens import LinkProblem
from cardreg.accounts.views import done_page, password_context

# --- 註冊密碼變更 ------------------------------------------------------------------------------


def _refusal_message(refused: PasswordChangeRefused) -> str:
    if refused.reason == "wait":
        return str(msg.LOGIN_WAIT) % {"seconds": refused.wait}
    return str(msg.CURRENT_PASSWORD_WRONG)


def _changed(request: HttpRequest, account: Account, form: ChangePasswordForm) -> bool:
    """Whether the password changed. The current password is checked even when the new one was
    refused, so that the page names every problem at once."""
    new_ok = form.is_valid()
    current = form.cleaned_data.get("current_password")
    if current is None:  # not typed: the form says so
        return False
    new = form.cleaned_data["password"] if new_ok else None
    try:
        change_actions.change_password(request, account=account, current=current, new=new)
    except PasswordChangeRefused as exc:
        form.add_error("current_password", _refusal_message(exc))
        return False
    return new_ok


@card_login_required
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    account = current_account(request)
    data = request.POST if request.method == "POST" else None  # an empty POST is still bound
    form = ChangePasswordForm(data, personal=personal_data(account.person))
    if request.method == "GET" or not _changed(request, account, form):
        context = {"form": form, **password_context()}
        return render(request, "accounts/change_password.html", context)
    messages.success(request, msg.PASSWORD_CHANGED)
    return redirect("accounts:services")


# --- 帳號資料異動 ------------------------------------------------------------------------------


def _card_again_page(request: HttpRequest, error: str = "") -> HttpResponse:
    return card_again_page(
        request,
        title=msg.CHANGE_DATA_TITLE,
        notice=msg.RECENT_CARD_NEEDED,
        action=reverse("accounts:change_data_card"),
        error=error,
    )


def _change_notices(change: DataChange) -> list[str]:
    notices = [str(msg.CONTACT_CHANGED)] if change.fields else []
    if change.email_requested:
        notices.append(str(msg.EMAIL_CHANGE_SENT) % {"days": settings.CARDREG_CONFIRM_DAYS})
    return notices or [str(msg.DATA_UNCHANGED)]


@card_login_required
@require_http_methods(["GET", "POST"])
def change_data(request: HttpRequest) -> HttpResponse:
    """Phones and e-mails; a card login or card read in the last few minutes is needed."""
    if not recently_authenticated(request):
        return _card_again_page(request)
    account = current_account(request)
    form = ContactForm(request.POST or None, initial=contact_initial(account))
    if request.method == "GET" or not form.is_valid():
        return render(request, "accounts/change_data.html", {"form": form, "account": account})
    data = form.cleaned_data
    change = change_actions.change_account_data(
        request,
        account=account,
        phone=data["phone"],
        mobile=data["mobile"],
        email=data["email"],
        email_backup=data["email_backup"],
    )
    for notice in _change_notices(change):
        messages.success(request, notice)
    return redirect("accounts:change_data")


@card_login_required
@require_POST
def change_data_card(request: HttpRequest) -> HttpResponse:
    """The card read again, by the logged-in holder, to open 帳號資料異動."""
    error = check_card_again(request)
    if error:
        return _card_again_page(request, error)
    return redirect("accounts:change_data")


EMAIL_CHANGE_PROBLEMS = {
    "invalid": msg.EMAIL_CHANGE_INVALID,
    "used": msg.EMAIL_CHANGE_USED,
    "superseded": msg.EMAIL_CHANGE_SUPERSEDED,
    "expired": msg.EMAIL_CHANGE_EXPIRED,
}


@require_http_methods(["GET", "POST"])
def confirm_email_change(request: HttpRequest) -> HttpResponse:
    """The link mailed to a new primary address (the token in the fragment), then 「確認」."""
    if request.method == "GET":
        return render(request, "accounts/confirm_email_change.html")
    try:
        change_actions.confirm_email_change(request, token=request.POST.get("token", ""))
    except LinkProblem as exc:
        error = str(EMAIL_CHANGE_PROBLEMS[exc.reason]) % {"days": settings.CARDREG_CONFIRM_DAYS}
        return render(request, "accounts/confirm_email_change.html", {"error": error})
    return done_page(request, _("變更主要E-Mail"), str(msg.EMAIL_CHANGE_DONE))
