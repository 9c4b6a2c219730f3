"""健保卡註冊認證作業: the link of an employer's batch registration, the card, a new password."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from cardreg.accounts import messages as msg
from cardreg.accounts.activation import activate_account, activation_account
from cardreg.accounts.tokens import LinkProblem
from cardreg.accounts.views import LinkPasswordPage, card_page, done_page, link_password_page

ACTIVATE_PAGE = "accounts/activate.html"
ACTIVATE_PROBLEMS = {
    "invalid": msg.ACTIVATE_INVALID,
    "used": msg.ACTIVATE_ALREADY,  # a used link has activated the account
    "already": msg.ACTIVATE_ALREADY,
    "superseded": msg.ACTIVATE_SUPERSEDED,
    "expired": msg.ACTIVATE_EXPIRED,
    "wrong_card": msg.ACTIVATE_WRONG_CARD,
}


def _problem_page(request: HttpRequest, problem: LinkProblem, **context: object) -> HttpResponse:
    error = str(ACTIVATE_PROBLEMS[problem.reason]) % {
        "days": settings.CARDREG_CONFIRM_DAYS,
        "resend_days": settings.CARDREG_EMPLOYER_PENDING_RESEND_DAYS,
    }
    return card_page(request, ACTIVATE_PAGE, error=error, problem=problem.reason, **context)


ACTIVATE = LinkPasswordPage(ACTIVATE_PAGE, activation_account, activate_account, _problem_page)


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    """The mailed link: a new password twice, then the registrant's card; no login follows."""
    response = link_password_page(request, ACTIVATE)
    return response or done_page(request, _("認證完成"), str(msg.ACTIVATE_DONE))
