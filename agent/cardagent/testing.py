"""Test helpers for the agent and for programs that talk to it (the portal's tests too).

:class:`AgentClient` sends real HTTP with ``http.client`` and sets every header by hand (``Host``,
``Origin``), which is what the security checks are about.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cardagent.record import CardData

TEST_ORIGIN = "http://portal.example:8000"


def make_card_data(**changes: Any) -> CardData:
    """王小明's card, with any field changed."""
    fields: dict[str, Any] = {
        "card_number": "000012345678",
        "name": "王小明",
        "national_id": "A123456789",
        "birth_date": date(1990, 1, 1),
        "sex": "M",
        "issue_date": date(2016, 7, 13),
    }
    fields.update(changes)
    return CardData(**fields)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case
    body: Any  # decoded JSON, or text

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class AgentClient:
    """Talks to an agent on ``127.0.0.1:port`` (in a thread, or a separate process)."""

    port: int
    origins: list[str] = field(default_factory=list)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Answer:
        """One request on a fresh connection; ``body`` is sent as JSON, ``raw`` as is."""
        sent = {"Host": f"127.0.0.1:{self.port}"}
        if body is not None:
            raw = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in sent.items():
                connection.putheader(name, value)
            if raw is not None:
                connection.putheader("Content-Length", str(len(raw)))
            connection.endheaders(raw)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        return _answer(response, payload)

    def get(self, path: str, origin: str | None = TEST_ORIGIN, **headers: str) -> Answer:
        return self.request("GET", path, headers=_with_origin(origin, headers))

    def post(
        self, path: str, body: Any, origin: str | None = TEST_ORIGIN, **headers: str
    ) -> Answer:
        return self.request("POST", path, body=body, headers=_with_origin(origin, headers))


def _answer(response: http.client.HTTPResponse, payload: bytes) -> Answer:
    headers = {name.lower(): value for name, value in response.getheaders()}
    is_json = headers.get("content-type", "").startswith("application/json")
    return Answer(response.status, headers, json.loads(payload) if is_json else payload.decode())


def _with_origin(origin: str | None, headers: dict[str, str]) -> dict[str, str]:
    return {**({"Origin": origin} if origin else {}), **headers}
