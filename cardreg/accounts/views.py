"""Thin views: parse the form, check the step or the card, call one action, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cardreg.accounts import messages as msg
from cardreg.accounts import registration, throttle
from cardreg.accounts.access import logged_in_with_card
from cardreg.accounts.actions import (
    AlreadyRegistered,
    LoginRefused,
    confirm_email,
    existing_account_status,
    login_with_card,
    logout_account,
    submit_registration,
)
from cardreg.accounts.forms import (
    HOUSEHOLD_FIELDS,
    DetailsForm,
    HouseholdForm,
    NewPasswordForm,
    is_microsoft_mail,
    personal_data,
)
from cardreg.accounts.models import Account, AccountStatus
from cardreg.accounts.tokens import LinkProblem
from cardreg.audit.actions import record_event
from cardreg.cards.actions import NoFreshCardProof, take_card_proof
from cardreg.cards.models import Person
from cardreg.cards.widget import reader_config
from cardreg.clientaddr import client_address
from cardreg.lib.masking import mask_national_id
from cardreg.registry import divisions
from cardreg.registry.household import HouseholdRegisterUnavailable, check_household
from cardreg.registry.messages import HOUSEHOLD_MISMATCH, HOUSEHOLD_UNAVAILABLE

STEP_URLS = {
    "terms": "accounts:register",
    "card": "accounts:register_card",
    "household": "accounts:register_household",
    "details": "accounts:register_details",
}
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def proof_error(error: NoFreshCardProof, template: str) -> str:
    """Why the card page ``template`` came back without a card proof, naming its button."""
    sentence = msg.CARD_PROOF_EXPIRED if error.expired else msg.CARD_PROOF_NEEDED
    return str(sentence) % {"button": msg.CARD_BUTTONS[template]}


def card_page(request: HttpRequest, template: str, **context: object) -> HttpResponse:
    """A page whose form reads the card first (templates/accounts/_card_reader.html)."""
    context = {"reader": reader_config(), "read_label": msg.CARD_BUTTONS[template], **context}
    return render(request, template, context)


@dataclass(frozen=True)
class LinkPasswordPage:
    """A mailed link whose page asks for a new password twice and then the card (忘記註冊密碼's
    reset, 健保卡註冊認證作業): the template, the link's account, the action, the problem page."""

    template: str
    account_of: Callable[[str], Account]  # raises LinkProblem
    act: Callable[..., object]  # (request, token=, card_person=, password=); raises LinkProblem
    problem_page: Callable[..., HttpResponse]  # (request, LinkProblem, **context)


def link_password_page(request: HttpRequest, page: LinkPasswordPage) -> HttpResponse | None:
    """GET: the page. POST: check the link, the password form and the card, then act; None when
    it is done (the caller shows its done page), otherwise the page again saying what is wrong."""
    context = password_context()
    if request.method == "GET":
        return card_page(request, page.template, **context)
    token = request.POST.get("token", "")
    try:
        account = page.account_of(token)
    except LinkProblem as exc:
        return page.problem_page(request, exc)
    form = NewPasswordForm(request.POST, personal=personal_data(account.person))
    try:
        card = take_card_proof(request)  # used up either way: a proof serves one request
    except NoFreshCardProof as exc:
        error = proof_error(exc, page.template)
        return card_page(request, page.template, form=form, error=error, **context)
    if not form.is_valid():
        return card_page(request, page.template, form=form, **context)
    try:
        page.act(
            request, token=token, card_person=card.person, password=form.cleaned_data["password"]
        )
    except LinkProblem as exc:
        return page.problem_page(request, exc, form=form, **context)
    return None


def done_page(request: HttpRequest, title: Promise, *notices: str) -> HttpResponse:
    """The end of a function: what happened, what to do next, the way back to the login page."""
    return render(request, "accounts/done.html", {"title": title, "notices": notices})


def password_context() -> dict[str, object]:
    """What a page asking for a new password shows: the limits and the strength meter's words."""
    limits = {
        "min": settings.CARDREG_PASSWORD_MIN_LENGTH,
        "max": settings.CARDREG_PASSWORD_MAX_LENGTH,
    }
    return {
        "min_length": limits["min"],
        "max_length": limits["max"],
        "length_notice": str(msg.PASSWORD_LENGTH_NOTICE) % limits,
        "strength_labels": [str(label) for label in msg.STRENGTH_LABELS],
    }


# --- login, services, logout -------------------------------------------------------------------


def _login_refused_message(refused: LoginRefused) -> str:
    if refused.reason == "wait":
        return str(msg.LOGIN_WAIT) % {"seconds": refused.wait}
    return str(msg.LOGIN_PENDING if refused.reason == "pending" else msg.LOGIN_FAILED)


def card_login(request: HttpRequest, template: str, **context: object) -> HttpResponse | None:
    """The POST of a card + password login page (this one, the employer portal's): None when
    logged in, otherwise the page again saying why, with the password kept unless it was wrong."""
    password = request.POST.get("password", "")
    try:
        card = take_card_proof(request)
        login_with_card(request, card_person=card.person, password=password)
    except NoFreshCardProof as exc:
        error = proof_error(exc, template)
    except LoginRefused as exc:
        error = _login_refused_message(exc)
        password = "" if exc.reason == "failed" else password
    else:
        return None
    return card_page(request, template, error=error, kept_password=password, **context)


LOGIN_PAGE = "accounts/login.html"


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return card_page(request, LOGIN_PAGE)
    return card_login(request, LOGIN_PAGE) or redirect("accounts:services")


@login_required
def services(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/services.html", {"card_session": logged_in_with_card(request)})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    logout_account(request)
    messages.info(request, _("您已登出。"))
    return redirect("accounts:login")


# --- registration journey --------------------------------------------------------------------


def _journey_or_redirect(request: HttpRequest, step: str) -> registration.Journey | HttpResponse:
    journey = registration.load(request)
    if journey is None and registration.outcome(request) is not None:
        # The form sent again (a double click, the back button): it was already saved.
        return redirect("accounts:register_done")
    if journey is None:
        messages.error(request, msg.FLOW_EXPIRED)
        return redirect("accounts:register")
    if not journey.may_enter(step):
        messages.error(request, msg.STEP_OUT_OF_ORDER)
        return redirect(STEP_URLS[journey.current_step()])
    return journey


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Step 1: the terms."""
    if request.method == "POST":
        if request.POST.get("agree") != "yes":
            return render(
                request, "accounts/register_terms.html", {"error": msg.TERMS_NOT_ACCEPTED}
            )
        journey = registration.start(request)
        journey.terms = True
        registration.save(request, journey)
        return redirect("accounts:register_card")
    return render(request, "accounts/register_terms.html")


CARD_STEP_PAGE = "accounts/register_card.html"


@require_http_methods(["GET", "POST"])
def register_card(request: HttpRequest) -> HttpResponse:
    """Step 2: read and prove the card; the holder becomes the applicant."""
    journey = _journey_or_redirect(request, "card")
    if isinstance(journey, HttpResponse):
        return journey
    if request.method == "GET":
        return card_page(request, CARD_STEP_PAGE)
    try:
        card = take_card_proof(request)
    except NoFreshCardProof as exc:
        return card_page(request, CARD_STEP_PAGE, error=proof_error(exc, CARD_STEP_PAGE))
    status = existing_account_status(card.person)
    if status is not None:
        return card_page(request, CARD_STEP_PAGE, error=already_registered_message(status))
    # A different card restarts everything after this step.
    journey.person_id, journey.household = card.person_id, False
    registration.save(request, journey)
    return redirect("accounts:register_household")


def household_refusal(
    request: HttpRequest, person: Person, household: dict[str, Any], *, mismatch_hint: str = ""
) -> str | None:
    """None when the household register agrees with the 戶號 and 戶籍鄉鎮里鄰 given for
    ``person``, otherwise why not (``mismatch_hint`` follows a mismatch or the daily limit).
    Registration's step 3 and 重寄確認信 share the count of mismatches per person and day."""
    key = str(person.pk)
    if throttle.count("household", key, window=DAY) >= settings.CARDREG_HOUSEHOLD_FAILURES_PER_DAY:
        return " ".join(filter(None, (str(msg.HOUSEHOLD_TOO_MANY), mismatch_hint)))
    fields = {name: household[name] for name in HOUSEHOLD_FIELDS}
    try:
        result = check_household(national_id=person.national_id, **fields)
    except HouseholdRegisterUnavailable:
        return str(HOUSEHOLD_UNAVAILABLE)
    if result.match:
        return None
    throttle.hit("household", key, window=DAY)
    actor = mask_national_id(person.national_id)
    record_event("account.household_mismatch", actor=actor, request=request)
    return " ".join(filter(None, (str(HOUSEHOLD_MISMATCH), mismatch_hint)))


@require_http_methods(["GET", "POST"])
def register_household(request: HttpRequest) -> HttpResponse:
    """Step 3: 戶號 and 戶籍鄉鎮里鄰, checked with the household register."""
    journey = _journey_or_redirect(request, "household")
    if isinstance(journey, HttpResponse):
        return journey
    person = journey.person()
    form = HouseholdForm(request.POST or None)
    context = {"form": form, "counties": divisions.counties()}
    if request.method == "GET" or not form.is_valid():
        return render(request, "accounts/register_household.html", context)
    refusal = household_refusal(request, person, form.cleaned_data)
    if refusal is not None:
        return render(request, "accounts/register_household.html", {**context, "error": refusal})
    journey.household = True
    registration.save(request, journey)
    return redirect("accounts:register_details")


@require_http_methods(["GET", "POST"])
def register_details(request: HttpRequest) -> HttpResponse:
    """Step 4: password, phones, e-mails → 確認申請."""
    journey = _journey_or_redirect(request, "details")
    if isinstance(journey, HttpResponse):
        return journey
    form = DetailsForm(request.POST or None, personal=personal_data(journey.person()))
    context = {"form": form, **password_context()}
    if request.method == "GET" or not form.is_valid():
        return render(request, "accounts/register_details.html", context)
    ip = client_address(request)
    if throttle.hit("register-ip", ip, window=HOUR) > settings.CARDREG_REGISTRATIONS_PER_IP_HOUR:
        return render(
            request,
            "accounts/register_details.html",
            {**context, "error": msg.REGISTRATIONS_TOO_MANY},
        )
    data = form.cleaned_data
    try:
        submit_registration(
            request,
            person=journey.person(),
            password=data["password"],
            mobile=data["mobile"],
            phone=data["phone"],
            email=data["email"],
            email_backup=data["email_backup"],
        )
    except AlreadyRegistered as exc:
        outcome = registration.Outcome(already=exc.status)
    else:
        outcome = registration.Outcome(microsoft_warning=is_microsoft_mail(data["email"]))
    registration.finish(request, outcome)
    return redirect("accounts:register_done")


@require_GET
def register_done(request: HttpRequest) -> HttpResponse:
    """After 確認申請; without an outcome in this session there is nothing to say."""
    outcome = registration.outcome(request)
    if outcome is None:
        return redirect("accounts:register")
    context: dict[str, object] = {"microsoft_warning": outcome.microsoft_warning}
    if outcome.already:
        context["error"] = already_registered_message(outcome.already)
    return render(request, "accounts/register_done.html", context)


def already_registered_message(status: str) -> str:
    """Why this card holder cannot apply: registered, or applied (with the way to a new mail)."""
    if status == AccountStatus.ACTIVE:
        return str(msg.ALREADY_ACTIVE)
    before, _placeholder, after = str(msg.ALREADY_PENDING).partition("%(resend)s")
    link = format_html('<a href="{}">{}</a>', reverse("accounts:resend"), _("重寄確認信"))
    return format_html("{}{}{}", before, link, after)


# --- e-mail confirmation ---------------------------------------------------------------------

CONFIRM_PAGE = "accounts/confirm.html"
CONFIRM_MESSAGES = {
    "invalid": msg.CONFIRM_INVALID,
    "superseded": msg.CONFIRM_SUPERSEDED,
    "expired": msg.CONFIRM_EXPIRED,
    "already": msg.CONFIRM_ALREADY,
    "used": msg.CONFIRM_ALREADY,  # a used link has activated the account
    "wrong_card": msg.CONFIRM_WRONG_CARD,
}


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """The mail's link: prepare, read the card, then the account is activated (a POST)."""
    if request.method == "GET":
        return card_page(request, CONFIRM_PAGE)
    token = request.POST.get("token", "")
    try:
        card = take_card_proof(request)
        confirm_email(request, token=token, card_person=card.person)
    except NoFreshCardProof as exc:
        return card_page(request, CONFIRM_PAGE, error=proof_error(exc, CONFIRM_PAGE))
    except LinkProblem as exc:
        return card_page(
            request, CONFIRM_PAGE, error=CONFIRM_MESSAGES[exc.reason], problem=exc.reason
        )
    return render(request, "accounts/confirm_done.html")
