"""The household register (戶政): does this person live at this 戶號 and 戶籍鄉鎮里鄰?

`check_household()` asks the register chosen by ``CARDREG_HOUSEHOLD_REGISTER``:
- ``local``: the HouseholdMember table, loaded with ``manage.py import_households``;
- ``http``: the register's web service at ``CARDREG_HOUSEHOLD_URL``:
  ``POST`` ``Content-Type: application/json``, UTF-8::

      {"national_id": "A123456789", "household_no": "F1234567", "county": "臺北市",
       "township": "中正區", "village": "黎明里", "neighbourhood": 3}

  (the 戶號 half-width and upper case, the names trimmed), answered by ``200`` with
  ``{"match": true}`` or ``{"match": false}``, optionally with ``"person_found": false`` when
  the person is not in the register at all (kept for the logs, never shown).
  A connection error, a timeout (``CARDREG_HOUSEHOLD_TIMEOUT_SECONDS`` for each network wait)
  or a 5xx answer is tried again up to ``CARDREG_HOUSEHOLD_RETRIES`` times; a 4xx or a 3xx
  answer, or a body that is not that JSON object, is not. Then the register is "unavailable".

  The portal authenticates itself with ``Authorization: Bearer`` and ``CARDREG_HOUSEHOLD_TOKEN``
  (or ``CARDREG_HOUSEHOLD_TOKEN_FILE``), with the TLS client certificate
  ``CARDREG_HOUSEHOLD_CLIENT_CERT`` (and ``_CLIENT_KEY``), or both; settings.py refuses to start
  in production with neither.

The answer says only whether everything matched, never which field did not: telling the user
"the village is wrong" would let anyone with a card probe a stranger's address.
"""

from __future__ import annotations

import enum
import http.client
import json
import logging
import ssl
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cardreg.lib.masking import mask_national_id
from cardreg.lib.text import to_half_width
from cardreg.registry.models import HouseholdMember

logger = logging.getLogger(__name__)

HOUSEHOLD_NO_MIN_LENGTH, HOUSEHOLD_NO_MAX_LENGTH = 4, 12
_MAX_ANSWER_BYTES = 64 * 1024


class HouseholdRegisterUnavailable(Exception):
    """The register could not answer (down, too slow, or answered nonsense). No PII inside."""


class Outcome(enum.StrEnum):
    MATCH = "match"
    MISMATCH = "mismatch"


@dataclass(frozen=True)
class HouseholdCheck:
    outcome: Outcome
    # False: the person is not in the register at all. For logs and audit only, never for the
    # user; None when the register did not say.
    person_found: bool | None = None

    @property
    def match(self) -> bool:
        return self.outcome is Outcome.MATCH


MATCH = HouseholdCheck(Outcome.MATCH, person_found=True)


@dataclass(frozen=True)
class HouseholdQuery:
    national_id: str
    household_no: str
    county: str
    township: str
    village: str
    neighbourhood: int

    def __repr__(self) -> str:  # a logged query shows only the masked ID
        return f"HouseholdQuery({mask_national_id(self.national_id)})"


class HouseholdRegister(Protocol):
    def check(self, query: HouseholdQuery) -> HouseholdCheck: ...


def normalise_household_no(value: str) -> str:
    """戶號 as the register keeps it: half-width, upper case, no surrounding spaces."""
    return to_half_width(value).strip().upper()


def is_valid_household_no(value: str) -> bool:
    """A normalised 戶號: 4 to 12 ASCII letters and digits (e.g. F1234567)."""
    return (
        HOUSEHOLD_NO_MIN_LENGTH <= len(value) <= HOUSEHOLD_NO_MAX_LENGTH
        and value.isascii()
        and value.isalnum()
    )


class LocalHouseholdRegister:
    """The HouseholdMember table: the demo's register, or a copy loaded by the operator."""

    def check(self, query: HouseholdQuery) -> HouseholdCheck:
        if "\x00" in query.national_id:  # PostgreSQL refuses NUL in a query
            return HouseholdCheck(Outcome.MISMATCH, person_found=False)
        member = HouseholdMember.objects.filter(national_id=query.national_id).first()
        if member is None:
            return HouseholdCheck(Outcome.MISMATCH, person_found=False)
        registered = (
            normalise_household_no(member.household_no),
            member.county,
            member.township,
            member.village,
            member.neighbourhood,
        )
        given = (query.household_no, query.county, query.township, query.village)
        if registered == (*given, query.neighbourhood):
            return MATCH
        return HouseholdCheck(Outcome.MISMATCH, person_found=True)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET somewhere else: treat it as a wrong answer.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _TryAgain(Exception):
    """A failure worth another attempt; never leaves this module."""


@dataclass(frozen=True)
class HttpHouseholdRegister:
    """The register's web service (the format is in the module's docstring)."""

    url: str
    timeout_seconds: float
    retries: int
    token: str = field(default="", repr=False)  # a secret: never in a log line
    client_cert: str = ""  # PEM file of the TLS client certificate (may hold its key too)
    client_key: str = ""
    # Built once (the certificate read and parsed once), used by every attempt of every check.
    _opener: urllib.request.OpenerDirector = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        scheme = urlsplit(self.url).scheme
        if scheme not in ("http", "https"):
            raise ImproperlyConfigured("CARDREG_HOUSEHOLD_URL must be an http(s) URL")
        if self.client_cert and scheme != "https":
            raise ImproperlyConfigured("CARDREG_HOUSEHOLD_CLIENT_CERT needs an https URL")
        if self.client_key and not self.client_cert:
            raise ImproperlyConfigured("CARDREG_HOUSEHOLD_CLIENT_KEY needs _CLIENT_CERT")
        # An unreadable certificate stops the server, not a user.
        object.__setattr__(self, "_opener", self._build_opener())

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        try:
            context.load_cert_chain(self.client_cert, self.client_key or None)
        except (OSError, ssl.SSLError) as exc:
            message = f"CARDREG_HOUSEHOLD_CLIENT_CERT cannot be used: {exc}"
            raise ImproperlyConfigured(message) from None
        return context

    def _build_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
        if self.client_cert:
            handlers.append(urllib.request.HTTPSHandler(context=self._tls_context()))
        return urllib.request.build_opener(*handlers)

    def check(self, query: HouseholdQuery) -> HouseholdCheck:
        body = json.dumps(asdict(query), ensure_ascii=False).encode("utf-8")
        attempts = max(0, self.retries) + 1
        problem = ""
        for attempt in range(1, attempts + 1):
            try:
                return self._ask(body)
            except _TryAgain as exc:
                logger.info("household register attempt %d/%d: %s", attempt, attempts, exc)
                problem = str(exc)
        raise HouseholdRegisterUnavailable(f"no answer after {attempts} attempt(s): {problem}")

    def _ask(self, body: bytes) -> HouseholdCheck:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __post_init__
            self.url,
            data=body,
            method="POST",
            headers=self._headers(),
        )
        try:
            with self._opener.open(request, timeout=self.timeout_seconds) as response:
                status, answer = response.status, response.read(_MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code >= 500:
                raise _TryAgain(f"HTTP {exc.code}") from None
            raise HouseholdRegisterUnavailable(f"HTTP {exc.code}") from None
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out...
            raise _TryAgain(f"{type(exc).__name__}: {exc}") from None
        if status != 200:
            raise HouseholdRegisterUnavailable(f"HTTP {status}")
        return _parse_answer(answer)


def _parse_answer(answer: bytes) -> HouseholdCheck:
    if len(answer) > _MAX_ANSWER_BYTES:
        raise HouseholdRegisterUnavailable("answer too long")
    try:
        document = json.loads(answer)
    except (ValueError, UnicodeDecodeError):
        raise HouseholdRegisterUnavailable("answer is not JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("match"), bool):
        raise HouseholdRegisterUnavailable('answer has no boolean "match"')
    if document["match"]:
        return MATCH
    found = document.get("person_found")
    return HouseholdCheck(Outcome.MISMATCH, found if isinstance(found, bool) else None)


def household_register() -> HouseholdRegister:
    """The register the settings choose (read on every call, so tests can change them)."""
    kind = settings.CARDREG_HOUSEHOLD_REGISTER
    if kind == "local":
        return LocalHouseholdRegister()
    if kind == "http":
        return HttpHouseholdRegister(
            url=settings.CARDREG_HOUSEHOLD_URL,
            timeout_seconds=settings.CARDREG_HOUSEHOLD_TIMEOUT_SECONDS,
            retries=settings.CARDREG_HOUSEHOLD_RETRIES,
            token=settings.CARDREG_HOUSEHOLD_TOKEN,
            client_cert=settings.CARDREG_HOUSEHOLD_CLIENT_CERT,
            client_key=settings.CARDREG_HOUSEHOLD_CLIENT_KEY,
        )
    raise ImproperlyConfigured("CARDREG_HOUSEHOLD_REGISTER must be local or http")


def check_household(
    *,
    national_id: str,
    household_no: str,
    county: str,
    township: str,
    village: str,
    neighbourhood: int,
) -> HouseholdCheck:
    """MATCH only if every field agrees with the register; HouseholdRegisterUnavailable when
    the register cannot answer (show messages.HOUSEHOLD_UNAVAILABLE)."""
    query = HouseholdQuery(
        national_id=national_id,
        household_no=normalise_household_no(household_no),
        county=county.strip(),
        township=township.strip(),
        village=village.strip(),
        neighbourhood=neighbourhood,
    )
    masked = mask_national_id(national_id)
    try:
        result = household_register().check(query)
    except HouseholdRegisterUnavailable as exc:
        logger.warning("household register unavailable for %s: %s", masked, exc)
        raise
    unknown = " (not in the register)" if result.person_found is False else ""
    logger.info("household check for %s: %s%s", masked, result.outcome, unknown)
    return result
