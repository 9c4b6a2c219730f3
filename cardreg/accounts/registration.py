"""The registration journey (網路申辦註冊) as an explicit list of steps with preconditions.

The journey's state lives in the session. A step's page is shown, and its form accepted, only
when every step before it is done; reading another card restarts what follows the card step, so
no step can be replayed to get around a check. 確認申請 ends the journey and leaves its outcome
in the session for the done page (POST-redirect-GET: reloading that page says it again).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone

from cardreg.cards.models import Person

STEPS = ("terms", "card", "household", "details")
SESSION_KEY = "registration"
OUTCOME_KEY = "registration_outcome"
MAX_AGE = timedelta(minutes=30)


@dataclass
class Journey:
    started_at: str
    terms: bool = False
    person_id: int | None = None
    household: bool = False

    def done(self, step: str) -> bool:
        return {
            "terms": self.terms,
            "card": self.person_id is not None,
            "household": self.household,
            "details": False,
        }[step]

    def current_step(self) -> str:
        return next(step for step in STEPS if not self.done(step))

    def may_enter(self, step: str) -> bool:
        return all(self.done(before) for before in STEPS[: STEPS.index(step)])

    def person(self) -> Person:
        if self.person_id is None:
            raise LookupError("the card step is not done")
        return Person.objects.get(pk=self.person_id)


def load(request: HttpRequest) -> Journey | None:
    """The journey in progress, or None if there is none or it is too old."""
    raw = request.session.get(SESSION_KEY)
    if raw is None:
        return None
    journey = Journey(**raw)
    if datetime.fromisoformat(journey.started_at) + MAX_AGE <= timezone.now():
        forget(request)
        return None
    return journey


def start(request: HttpRequest) -> Journey:
    request.session.pop(OUTCOME_KEY, None)
    journey = Journey(started_at=timezone.now().isoformat())
    save(request, journey)
    return journey


def save(request: HttpRequest, journey: Journey) -> None:
    request.session[SESSION_KEY] = asdict(journey)


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


@dataclass(frozen=True)
class Outcome:
    """What the done page says: the application was saved, or (``already``: an AccountStatus)
    the card holder had applied or registered before; no personal data, it stays in the session."""

    already: str = ""
    microsoft_warning: bool = False


def finish(request: HttpRequest, outcome: Outcome) -> None:
    """The journey is over; its outcome stays until the session ends or a new journey starts."""
    forget(request)
    request.session[OUTCOME_KEY] = asdict(outcome)


def outcome(request: HttpRequest) -> Outcome | None:
    raw = request.session.get(OUTCOME_KEY)
    return None if raw is None else Outcome(**raw)
