"""Before login, each starting with a card read: 重寄確認信, 刪除註冊申請, 忘記註冊密碼."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from cardreg.accounts import messages as msg
from cardreg.accounts import throttle
from cardreg.accounts.forms import ResendForm
from cardreg.accounts.models import Account, TokenPurpose
from cardreg.accounts.recovery_actions import (
    DeleteRefused,
    Resent,
    delete_application,
    pending_application,
    request_password_reset,
    resend_confirmation,
    reset_password,
)
from cardreg.accounts.tokens import LinkProblem, usable_link_account
from cardreg.accounts.views import (
    LinkPasswordPage,
    card_page,
    done_page,
    household_refusal,
    link_password_page,
    proof_error,
)
from cardreg.cards.actions import NoFreshCardProof, take_card_proof
from cardreg.cards.models import Card, Person
from cardreg.clientaddr import client_address
from cardreg.lib.masking import mask_email, mask_name, mask_national_id
from cardreg.registry import divisions

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def _mail_requests_refusal(request: HttpRequest, function: str, card: Card) -> str | None:
    """Count this request for a mail; a refusal when the address or the card asked too often."""
    ip = client_address(request)
    if throttle.hit(f"{function}-ip", ip, window=HOUR) > settings.CARDREG_MAIL_REQUESTS_PER_IP_HOUR:
        return str(msg.MAIL_REQUESTS_PER_IP)
    per_card = settings.CARDREG_MAIL_REQUESTS_PER_CARD_DAY
    if throttle.hit(f"{function}-person", str(card.person_id), window=DAY) > per_card:
        return str(msg.MAIL_REQUESTS_PER_CARD) % {"phone": settings.CARDREG_TOLL_FREE}
    return None


# --- 重寄確認信 --------------------------------------------------------------------------------


RESENT = {Resent.CONFIRMATION: msg.RESENT_CONFIRMATION, Resent.ACTIVATION: msg.RESENT_ACTIVATION}


def _resend_page(
    request: HttpRequest, form: ResendForm | None = None, error: str = ""
) -> HttpResponse:
    counties = divisions.counties()
    return card_page(request, "accounts/resend.html", form=form, error=error, counties=counties)


def _correction_refusal(request: HttpRequest, form: ResendForm, person: Person) -> str | None:
    """A corrected e-mail needs the 戶號 and 戶籍鄉鎮里鄰 the register has for the card holder
    (for an employer's registration too): the card alone may be a family member's."""
    if not form.cleaned_data["email"]:
        return None
    hint = str(msg.RESEND_NO_HOUSEHOLD) % {"phone": settings.CARDREG_TOLL_FREE}
    return household_refusal(request, person, form.cleaned_data, mismatch_hint=hint)


@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest) -> HttpResponse:
    """Card (+ an optional corrected e-mail, with the household data) → a new confirmation link,
    or, with no pending application, one answer for every other case."""
    if request.method == "GET":
        return _resend_page(request)
    form = ResendForm(request.POST)
    try:
        card = take_card_proof(request)  # used up either way: a proof serves one request
    except NoFreshCardProof as exc:
        error = proof_error(exc, "accounts/resend.html")
        return _resend_page(request, form, error)
    if not form.is_valid():
        return _resend_page(request, form)
    refusal = _mail_requests_refusal(request, "resend", card) or _correction_refusal(
        request, form, card.person
    )
    if refusal is not None:
        return _resend_page(request, form, refusal)
    resent = resend_confirmation(
        request, card_person=card.person, new_email=form.cleaned_data["email"]
    )
    if resent == Resent.NOTHING:
        return done_page(
            request, _("重寄確認信"), str(msg.RESEND_NOTHING), str(msg.RESEND_IF_ACTIVE)
        )
    return done_page(
        request, _("重寄確認信"), str(RESENT[resent]) % {"days": settings.CARDREG_CONFIRM_DAYS}
    )


# --- 刪除註冊申請 ------------------------------------------------------------------------------

DELETE_PAGE = "accounts/delete.html"
DELETE_SESSION_KEY = "delete_application"
DELETE_REFUSALS = {"none": msg.DELETE_NOTHING, "active": msg.DELETE_ACTIVE}


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """Step 1: the card; its holder's pending application is then shown for confirmation."""
    if request.method == "GET":
        return card_page(request, DELETE_PAGE)
    try:
        card = take_card_proof(request)
        pending_application(card.person)
    except NoFreshCardProof as exc:
        return card_page(request, DELETE_PAGE, error=proof_error(exc, DELETE_PAGE))
    except DeleteRefused as exc:
        return card_page(request, DELETE_PAGE, error=DELETE_REFUSALS[exc.reason])
    request.session[DELETE_SESSION_KEY] = {
        "person_id": card.person_id,
        "read_at": timezone.now().isoformat(),
    }
    return redirect("accounts:delete_confirm")


def _card_read_for_delete(request: HttpRequest) -> Person | None:
    """The holder whose card step 1 read, within the life of a card proof."""
    state = request.session.get(DELETE_SESSION_KEY)
    if state is None:
        return None
    max_age = timedelta(seconds=settings.CARDREG_CARD_PROOF_MAX_AGE_SECONDS)
    if datetime.fromisoformat(state["read_at"]) + max_age <= timezone.now():
        return None
    return Person.objects.filter(pk=state["person_id"]).first()


def _application_summary(account: Account) -> dict[str, object]:
    """What the confirmation page shows: masked, as anyone looking at the screen may see it."""
    return {
        "name": mask_name(account.person.name),
        "national_id": mask_national_id(account.national_id),
        "email": mask_email(account.email),
        "created_at": account.created_at,
    }


@require_http_methods(["GET", "POST"])
def delete_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: the masked application and 「確定刪除」."""
    person = _card_read_for_delete(request)
    if person is None:
        messages.error(request, msg.DELETE_READ_CARD_FIRST)
        return redirect("accounts:delete")
    try:
        if request.method == "GET":
            summary = _application_summary(pending_application(person))
            return render(request, "accounts/delete_confirm.html", {"application": summary})
        request.session.pop(DELETE_SESSION_KEY)
        delete_application(request, person=person)
    except DeleteRefused as exc:
        request.session.pop(DELETE_SESSION_KEY, None)
        return card_page(request, DELETE_PAGE, error=DELETE_REFUSALS[exc.reason])
    return done_page(request, _("刪除註冊申請"), str(msg.DELETE_DONE))


# --- 忘記註冊密碼 ------------------------------------------------------------------------------

FORGOT_PAGE = "accounts/forgot.html"


@require_http_methods(["GET", "POST"])
def forgot(request: HttpRequest) -> HttpResponse:
    """Card → a reset link to the registered address; one answer whether or not there is one."""
    if request.method == "GET":
        return card_page(request, FORGOT_PAGE)
    try:
        card = take_card_proof(request)
    except NoFreshCardProof as exc:
        return card_page(request, FORGOT_PAGE, error=proof_error(exc, FORGOT_PAGE))
    refusal = _mail_requests_refusal(request, "forgot", card)
    if refusal is not None:
        return card_page(request, FORGOT_PAGE, error=refusal)
    request_password_reset(request, card_person=card.person)
    return done_page(
        request,
        _("忘記註冊密碼"),
        str(msg.FORGOT_DONE) % {"hours": settings.CARDREG_RESET_HOURS},
        str(msg.FORGOT_OTHER_CASES),
    )


RESET_PAGE = "accounts/reset.html"
RESET_PROBLEMS = {
    "invalid": msg.RESET_INVALID,
    "used": msg.RESET_USED,
    "superseded": msg.RESET_SUPERSEDED,
    "expired": msg.RESET_EXPIRED,
    "wrong_card": msg.RESET_WRONG_CARD,
}


def _reset_problem_page(
    request: HttpRequest, problem: LinkProblem, **context: object
) -> HttpResponse:
    error = str(RESET_PROBLEMS[problem.reason]) % {"hours": settings.CARDREG_RESET_HOURS}
    return card_page(request, RESET_PAGE, error=error, problem=problem.reason, **context)


RESET = LinkPasswordPage(
    RESET_PAGE,
    lambda token: usable_link_account(token, TokenPurpose.RESET_PASSWORD),
    reset_password,
    _reset_problem_page,
)


@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    """The mailed link: a new password twice, then the account holder's card (again)."""
    response = link_password_page(request, RESET)
    return response or done_page(request, _("重設註冊密碼"), str(msg.RESET_DONE))
