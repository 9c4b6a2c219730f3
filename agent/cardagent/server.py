"""The agent's HTTP JSON API on 127.0.0.1: what the portal's pages call to read and use the card.

Who may ask (checked in this order, on every request):
1. ``Host`` must be exactly ``127.0.0.1:PORT`` or ``localhost:PORT``: a page that rebinds its
   own DNS name to 127.0.0.1 still sends its own name, and is refused (4004).
2. An ``Origin`` header must be on the allowlist (the slot's own origin also for the slot);
   anything else is refused without CORS headers (4003), so the browser hides even the error.
3. ``POST`` needs an allowed ``Origin``: only a page the user opened may have the card sign.
   ``GET`` without ``Origin`` is fine: a local program can read the card directly anyway.
Nothing changes state on ``GET``.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import re
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from cardagent import __version__
from cardagent.card import read_and_sign, read_basic_data
from cardagent.codes import CardError, Code, error_body
from cardagent.readers import Reader, VirtualReader
from cardagent.record import CardData
from cardagent.slotpage import render_slot_page, slot_state

log = logging.getLogger("cardagent.server")

DEFAULT_PORT = 7777
DEFAULT_ALLOWED_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")
MAX_BODY_BYTES = 8 * 1024
CHALLENGE = re.compile(r"[A-Za-z0-9_-]{16,512}")
ALGORITHM = "ES256-raw"
PREFLIGHT_MAX_AGE = "600"
JSON_TYPE = "application/json; charset=utf-8"
SLOT_PATHS = ("/", "/slot")


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: tuple[tuple[str, str], ...] = ()
    code: str = "-"  # the error code, for the log line


def json_reply(status: int, document: Mapping[str, Any]) -> Reply:
    return Reply(status, json.dumps(document, ensure_ascii=False).encode("utf-8"))


def error_reply(error: CardError, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    body = json.dumps(error.body(), ensure_ascii=False).encode("utf-8")
    return Reply(error.http_status, body, headers=headers, code=error.code)


def card_json(card: CardData) -> dict[str, str]:
    return {
        "card_number": card.card_number,
        "name": card.name,
        "national_id": card.national_id,
        "birth_date": card.birth_date.isoformat(),
        "sex": card.sex,
        "issue_date": card.issue_date.isoformat(),
    }


def loopback_address(host: str) -> str:
    """The IPv4 loopback address to bind; ``ValueError`` for anything reachable from outside."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None or address.version != 4 or not address.is_loopback:
        raise ValueError(
            f"--host {host!r} refused: the agent hands out the card, so it listens only on "
            "127.0.0.1 (or another 127.x.x.x address), never on an address others can reach"
        )
    return str(address)


def checked_origin(origin: str) -> str:
    """An allowlist entry must be an exact ``scheme://host[:port]``: no ``*``, path or slash."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname or "*" in origin:
        raise ValueError(f"allowed origin {origin!r} must look like https://host[:port]")
    if parts.path or parts.query or parts.fragment or parts.username:
        raise ValueError(f"allowed origin {origin!r} must have no path, query or user")
    return origin


class AgentServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], reader: Reader, allowed_origins: Iterable[str]
    ) -> None:
        super().__init__(address, AgentHandler)
        self.reader = reader
        host, port = self.server_address[0], self.server_address[1]
        authorities = {f"127.0.0.1:{port}", f"localhost:{port}", f"{host!s}:{port}"}
        self.allowed_hosts = frozenset(authorities)
        self.allowed_origins = frozenset(checked_origin(o) for o in allowed_origins)
        self.slot_origins = frozenset(f"http://{authority}" for authority in authorities)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


def make_server(
    host: str,
    port: int,
    reader: Reader,
    allowed_origins: Iterable[str] = DEFAULT_ALLOWED_ORIGINS,
) -> AgentServer:
    """A bound, not yet serving, agent; port 0 picks a free port (read it from ``.port``)."""
    return AgentServer((loopback_address(host), port), reader, allowed_origins)


Endpoint = Callable[["AgentHandler"], Reply]


@dataclass(frozen=True)
class Route:
    methods: Mapping[str, Endpoint]
    slot: bool = False  # the slot page's own origin may call it too


class AgentHandler(BaseHTTPRequestHandler):
    server: AgentServer
    protocol_version = "HTTP/1.1"  # keep-alive: a page's status + card + sign share one socket
    server_version = f"cardagent/{__version__}"
    sys_version = ""
    default_request_version = "HTTP/1.0"  # so even a garbled request line gets JSON headers
    # Headers and body are two writes; with Nagle, the body waits for a delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    timeout = 10  # seconds; an idle or stalled connection must not hold a thread forever

    cors_origin: str | None = None
    body_read = False

    def do_GET(self) -> None:
        self.handle_method("GET")

    def do_POST(self) -> None:
        self.handle_method("POST")

    def do_OPTIONS(self) -> None:
        self.handle_method("OPTIONS")

    def do_PUT(self) -> None:
        self.handle_method("PUT")

    def do_DELETE(self) -> None:
        self.handle_method("DELETE")

    def do_PATCH(self) -> None:
        self.handle_method("PATCH")

    def do_HEAD(self) -> None:
        self.handle_method("HEAD")

    def handle_method(self, method: str) -> None:
        started = time.perf_counter()
        self.cors_origin, self.body_read = None, False
        try:
            reply = self.dispatch(method)
        except CardError as error:
            reply = error_reply(error, self.allow_header(error))
        except Exception as error:
            # Type and frames only: an exception's message may quote card data.
            frames = "".join(traceback.format_tb(error.__traceback__))
            log.error(
                "unexpected %s in %s %s\n%s",
                type(error).__name__,
                method,
                self.route_path(),
                frames,
            )
            reply = error_reply(CardError(Code.INTERNAL_ERROR))
        self.send_reply(reply)
        self.log_line(method, reply, started)

    def dispatch(self, method: str) -> Reply:
        # An absolute-form target (`GET http://evil.example/v1/card`) or `//host/path` names
        # another server: Host alone would not catch it, since the path would still be ours.
        if not self.path.startswith("/") or self.path.startswith("//"):
            raise CardError(Code.TARGET_NOT_PATH)
        if self.single_header("Host") not in self.server.allowed_hosts:
            raise CardError(Code.HOST_NOT_ALLOWED)
        route = ROUTES.get(self.route_path())
        if route is None:
            raise CardError(Code.NOT_FOUND)
        self.check_origin(route)
        if method == "OPTIONS":
            return self.options(route)
        endpoint = route.methods.get(method)
        if endpoint is None:
            raise CardError(Code.METHOD_NOT_ALLOWED, "allowed: " + ", ".join(route.methods))
        if method == "POST" and self.cors_origin is None:
            raise CardError(Code.ORIGIN_NOT_ALLOWED, "POST needs the Origin of an allowed page")
        return endpoint(self)

    def route_path(self) -> str:
        return urlsplit(self.path).path

    def single_header(self, name: str) -> str | None:
        """The header's value; a repeated Host or Origin is ambiguous, so it counts as wrong."""
        values = self.headers.get_all(name) or []
        if len(values) > 1:
            return ""
        return values[0] if values else None

    def check_origin(self, route: Route) -> None:
        origin = self.single_header("Origin")
        if origin is None:
            return
        allowed = self.server.allowed_origins
        if route.slot:
            allowed = allowed | self.server.slot_origins
        if origin not in allowed:
            raise CardError(Code.ORIGIN_NOT_ALLOWED)
        self.cors_origin = origin

    def options(self, route: Route) -> Reply:
        allow = ", ".join([*route.methods, "OPTIONS"])
        if self.headers.get("Access-Control-Request-Method") is None:
            return Reply(204, headers=(("Allow", allow),))
        if self.cors_origin is None:
            raise CardError(Code.ORIGIN_NOT_ALLOWED, "a preflight needs an Origin")
        headers = [
            ("Access-Control-Allow-Methods", "GET, POST"),
            ("Access-Control-Allow-Headers", "Content-Type"),
            ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE),
        ]
        # Chrome's Private Network Access: a public page may reach 127.0.0.1 only if we agree.
        if self.headers.get("Access-Control-Request-Private-Network") == "true":
            headers.append(("Access-Control-Allow-Private-Network", "true"))
        return Reply(204, headers=tuple(headers))

    def allow_header(self, error: CardError) -> tuple[tuple[str, str], ...]:
        if error.code != Code.METHOD_NOT_ALLOWED:
            return ()
        route = ROUTES.get(self.route_path())
        return (("Allow", ", ".join([*route.methods, "OPTIONS"])),) if route else ()

    def read_json(self) -> dict[str, Any]:
        """The request's JSON object body, at most :data:`MAX_BODY_BYTES`."""
        if self.headers.get("Transfer-Encoding") is not None:
            raise CardError(Code.BAD_REQUEST, "send a Content-Length, not a chunked body")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise CardError(Code.BAD_REQUEST, "Content-Length is not a number") from None
        if length > MAX_BODY_BYTES:
            raise CardError(Code.BODY_TOO_LARGE, f"at most {MAX_BODY_BYTES} bytes")
        if length < 0:
            raise CardError(Code.BAD_REQUEST, "Content-Length is negative")
        if self.headers.get_content_type() != "application/json":
            raise CardError(Code.NOT_JSON)
        raw = self.rfile.read(length)
        self.body_read = True
        try:
            document = json.loads(raw.decode("utf-8"))
        except ValueError:
            raise CardError(Code.BAD_REQUEST, "the body is not UTF-8 JSON") from None
        if not isinstance(document, dict):
            raise CardError(Code.BAD_REQUEST, "the body must be a JSON object")
        return document

    def send_reply(self, reply: Reply) -> None:
        # A body we did not read would be parsed as the next request: close instead.
        if self.has_unread_body():
            self.close_connection = True
        self.send_response(reply.status)
        self.send_common_headers(reply)
        self.end_headers()
        if reply.body and self.command != "HEAD":
            self.wfile.write(reply.body)

    def has_unread_body(self) -> bool:
        if self.body_read:
            return False
        length = self.headers.get("Content-Length", "0").strip()
        return self.headers.get("Transfer-Encoding") is not None or length not in ("", "0")

    def send_common_headers(self, reply: Reply) -> None:
        if reply.status != 204:
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", "no-store")  # card data must never sit in a cache
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Vary", "Origin")
        if self.cors_origin is not None:
            self.send_header("Access-Control-Allow-Origin", self.cors_origin)
        for name, value in reply.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found while parsing HTTP itself: JSON like every other answer, then close."""
        self.close_connection = True
        error = CardError(Code.METHOD_NOT_ALLOWED if code == 501 else Code.BAD_REQUEST)
        body = json.dumps(error.body(), ensure_ascii=False).encode()
        self.send_response(error.http_status)
        self.send_header("Content-Type", JSON_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        log.info("- %d %s (malformed HTTP request)", error.http_status, error.code)

    def log_line(self, method: str, reply: Reply, started: float) -> None:
        # Method, path, status, code and time only: never bodies (names, IDs, signatures).
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.info(
            "%s %s %d %s %.1fms", method, self.route_path(), reply.status, reply.code, elapsed_ms
        )

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)

    def version_string(self) -> str:
        return self.server_version


def status(handler: AgentHandler) -> Reply:
    reader = handler.server.reader
    document: dict[str, Any] = {
        "agent": "cardagent",
        "version": __version__,
        "reader_mode": reader.mode,
        "readers": [],
        "card_present": False,
    }
    try:
        document["readers"] = reader.list_readers()
        document["card_present"] = reader.card_present()
    except CardError as error:
        # Still 200: the agent itself works; the page shows what is wrong with the reader.
        document["error"] = error_body(error.code)
    return json_reply(200, document)


def card(handler: AgentHandler) -> Reply:
    with handler.server.reader.session() as transmit:
        data = read_basic_data(transmit)
    return json_reply(200, card_json(data))


def sign(handler: AgentHandler) -> Reply:
    request = handler.read_json()
    challenge, origin = request.get("challenge"), request.get("origin")
    if not isinstance(challenge, str) or not isinstance(origin, str):
        raise CardError(Code.BAD_REQUEST, "challenge and origin must be strings")
    if origin != handler.cors_origin:
        raise CardError(Code.ORIGIN_MISMATCH)
    if not CHALLENGE.fullmatch(challenge):
        raise CardError(Code.BAD_CHALLENGE, "16–512 characters of A–Z a–z 0–9 _ -")
    with handler.server.reader.session() as transmit:
        data, signature = read_and_sign(transmit, origin, challenge)
    return json_reply(
        200,
        {
            "card_number": data.card_number,
            "signature": base64.b64encode(signature).decode("ascii"),
            "algorithm": ALGORITHM,
        },
    )


def virtual_reader(handler: AgentHandler) -> VirtualReader:
    reader = handler.server.reader
    if not isinstance(reader, VirtualReader):
        raise CardError(Code.SLOT_VIRTUAL_ONLY)
    return reader


def slot_page(handler: AgentHandler) -> Reply:
    page = render_slot_page(virtual_reader(handler).wallet())
    return Reply(200, page.html.encode("utf-8"), "text/html; charset=utf-8", page.headers)


def get_slot(handler: AgentHandler) -> Reply:
    return json_reply(200, slot_state(virtual_reader(handler).wallet()))


def post_slot(handler: AgentHandler) -> Reply:
    reader = virtual_reader(handler)
    request = handler.read_json()
    if "card_number" not in request:
        raise CardError(Code.BAD_REQUEST, 'send {"card_number": "..."} or {"card_number": null}')
    number = request["card_number"]
    if number is not None and not isinstance(number, str):
        raise CardError(Code.BAD_REQUEST, "card_number must be a string or null")
    return json_reply(200, slot_state(reader.insert(number)))


ROUTES: Mapping[str, Route] = {
    "/v1/status": Route({"GET": status}),
    "/v1/card": Route({"GET": card}),
    "/v1/sign": Route({"POST": sign}),
    "/v1/slot": Route({"GET": get_slot, "POST": post_slot}, slot=True),
    **{path: Route({"GET": slot_page}, slot=True) for path in SLOT_PATHS},
}
