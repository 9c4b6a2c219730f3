"""Who may talk to the agent: Host, Origin, CORS preflight, methods, sizes, and error shapes."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cardagent.readers import VirtualReader
from cardagent.server import checked_origin, loopback_address
from cardagent.testing import TEST_ORIGIN, AgentClient, Answer

FOREIGN = "https://evil.example"
CHALLENGE = "c" * 32


def cors_headers(answer: Answer) -> list[str]:
    return [name for name in answer.headers if name.startswith("access-control-")]


def assert_error(answer: Answer, status: int, code: str) -> None:
    assert answer.status == status, answer.body
    assert answer.body["code"] == code
    assert set(answer.body["message"]) == {"zh-Hant", "en"}
    assert all(answer.body["message"].values())


def test_allowed_origin_gets_its_cors_headers(agent: AgentClient) -> None:
    answer = agent.get("/v1/status")
    assert answer.status == 200
    assert answer.header("Access-Control-Allow-Origin") == TEST_ORIGIN
    assert "Origin" in (answer.header("Vary") or "")


def test_request_without_origin_may_read_but_gets_no_cors(agent: AgentClient) -> None:
    answer = agent.get("/v1/card", origin=None)
    assert answer.status == 200
    assert cors_headers(answer) == []


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/v1/status"), ("GET", "/v1/card"), ("POST", "/v1/sign")]
)
@pytest.mark.parametrize("origin", [FOREIGN, "null", TEST_ORIGIN + "/", "http://portal.example"])
def test_foreign_origin_is_403_without_any_cors_header(
    agent: AgentClient, method: str, path: str, origin: str
) -> None:
    body = {"challenge": CHALLENGE, "origin": origin} if method == "POST" else None
    answer = agent.request(method, path, body=body, headers={"Origin": origin})
    assert_error(answer, 403, "4003")
    assert cors_headers(answer) == []


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "127.0.0.1:1", "localhost", "", "[::1]:{port}"]
)
def test_host_must_be_loopback_with_our_port(agent: AgentClient, host: str) -> None:
    answer = agent.get("/v1/status", Host=host.format(port=agent.port))
    assert_error(answer, 403, "4004")
    assert cors_headers(answer) == []


def test_host_localhost_with_port_is_fine(agent: AgentClient) -> None:
    assert agent.get("/v1/status", Host=f"localhost:{agent.port}").status == 200


def test_dns_rebinding_host_is_refused(agent: AgentClient) -> None:
    answer = agent.get("/v1/card", origin=None, Host="evil.example:7777")
    assert_error(answer, 403, "4004")


def preflight(agent: AgentClient, origin: str, **extra: str) -> Answer:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
        **extra,
    }
    return agent.request("OPTIONS", "/v1/sign", headers=headers)


def test_preflight_allows_json_posts(agent: AgentClient) -> None:
    answer = preflight(agent, TEST_ORIGIN)
    assert answer.status == 204
    assert answer.header("Access-Control-Allow-Origin") == TEST_ORIGIN
    assert answer.header("Access-Control-Allow-Methods") == "GET, POST"
    assert answer.header("Access-Control-Allow-Headers") == "Content-Type"
    assert int(answer.header("Access-Control-Max-Age") or 0) > 0
    assert answer.header("Access-Control-Allow-Private-Network") is None


def test_preflight_with_private_network_access(agent: AgentClient) -> None:
    answer = preflight(agent, TEST_ORIGIN, **{"Access-Control-Request-Private-Network": "true"})
    assert answer.status == 204
    assert answer.header("Access-Control-Allow-Private-Network") == "true"


def test_preflight_from_foreign_origin_is_403_without_cors(agent: AgentClient) -> None:
    extra = {"Access-Control-Request-Private-Network": "true"}
    answer = preflight(agent, FOREIGN, **extra)
    assert_error(answer, 403, "4003")
    assert cors_headers(answer) == []


def test_post_without_origin_is_refused(agent: AgentClient) -> None:
    answer = agent.post("/v1/sign", {"challenge": CHALLENGE, "origin": TEST_ORIGIN}, origin=None)
    assert_error(answer, 403, "4003")


def test_body_too_big_is_413(agent: AgentClient) -> None:
    raw = json.dumps({"challenge": "x" * 9000, "origin": TEST_ORIGIN}).encode()
    headers = {"Origin": TEST_ORIGIN, "Content-Type": "application/json"}
    answer = agent.request("POST", "/v1/sign", raw=raw, headers=headers)
    assert_error(answer, 413, "4008")
    assert answer.header("Connection") == "close"  # the unread body must not become a request


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe", b""])
def test_bad_json_is_400(agent: AgentClient, raw: bytes) -> None:
    headers = {"Origin": TEST_ORIGIN, "Content-Type": "application/json"}
    assert_error(agent.request("POST", "/v1/sign", raw=raw, headers=headers), 400, "4001")


def test_body_must_be_declared_json(agent: AgentClient) -> None:
    raw = json.dumps({"challenge": CHALLENGE, "origin": TEST_ORIGIN}).encode()
    headers = {"Origin": TEST_ORIGIN, "Content-Type": "text/plain"}
    assert_error(agent.request("POST", "/v1/sign", raw=raw, headers=headers), 415, "4009")


def test_unknown_path_is_404(agent: AgentClient) -> None:
    assert_error(agent.get("/v1/secret"), 404, "4006")


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/sign"), ("POST", "/v1/card"), ("PUT", "/v1/card"), ("DELETE", "/v1/slot")],
)
def test_wrong_method_is_405_with_allow(agent: AgentClient, method: str, path: str) -> None:
    body: dict[str, str] | None = {} if method in ("POST", "PUT") else None
    answer = agent.request(method, path, body=body, headers={"Origin": TEST_ORIGIN})
    assert_error(answer, 405, "4007")
    assert answer.header("Allow")


@contextmanager
def raw_socket(agent: AgentClient) -> Iterator[socket.socket]:
    with socket.create_connection(("127.0.0.1", agent.port), timeout=5) as sock:
        yield sock


def read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


@pytest.mark.parametrize(
    "request_bytes", [b"GARBAGE\r\n\r\n", b"BREW /v1/card HTTP/1.1\r\nHost: x\r\n\r\n"]
)
def test_malformed_http_gets_json_not_a_traceback_page(
    agent: AgentClient, request_bytes: bytes
) -> None:
    with raw_socket(agent) as sock:
        sock.sendall(request_bytes)
        response = read_all(sock)
    head, _, body = response.partition(b"\r\n\r\n")
    assert b"application/json" in head
    assert json.loads(body)["code"] in ("4001", "4007")


class BrokenReader:
    mode = "virtual"

    def list_readers(self) -> list[str]:
        return ["broken"]

    def card_present(self) -> bool:
        return True

    @contextmanager
    def session(self) -> Iterator[Callable[[bytes], bytes]]:
        raise RuntimeError("secret internals A123456789")
        yield  # pragma: no cover


def test_unexpected_failure_is_json_500_without_details(
    serve_agent: Callable[..., AgentClient],
) -> None:
    client = serve_agent(BrokenReader())
    answer = client.get("/v1/card")
    assert_error(answer, 500, "4099")
    assert "A123456789" not in json.dumps(answer.body)
    assert "Traceback" not in json.dumps(answer.body)


def test_keep_alive_serves_several_requests_on_one_connection(agent: AgentClient) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", agent.port, timeout=5)
    try:
        for path in ("/v1/status", "/v1/card", "/v1/status"):
            connection.request("GET", path, headers={"Origin": TEST_ORIGIN})
            response = connection.getresponse()
            response.read()
            assert response.status == 200
    finally:
        connection.close()


def test_responses_are_never_cached(agent: AgentClient) -> None:
    assert agent.get("/v1/card").header("Cache-Control") == "no-store"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::1", "::"])  # noqa: S104
def test_only_ipv4_loopback_can_be_bound(host: str) -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        loopback_address(host)


@pytest.mark.parametrize(
    ("host", "bound"), [("localhost", "127.0.0.1"), ("127.0.0.2", "127.0.0.2")]
)
def test_loopback_hosts_are_accepted(host: str, bound: str) -> None:
    assert loopback_address(host) == bound


@pytest.mark.parametrize(
    "origin", ["*", "http://*.example", "http://a.example/", "ftp://a", "a.example"]
)
def test_allowlist_entries_must_be_exact_origins(origin: str) -> None:
    with pytest.raises(ValueError):
        checked_origin(origin)


def test_every_error_answer_is_bilingual(agent: AgentClient, wallet_path: Path) -> None:
    VirtualReader(wallet_path).insert(None)
    answers = [
        agent.get("/v1/card"),
        agent.get("/nope"),
        agent.get("/v1/status", Host="evil.example:1"),
        agent.get("/v1/card", origin=FOREIGN),
        agent.post("/v1/sign", {"challenge": "short", "origin": TEST_ORIGIN}),
        agent.post("/v1/sign", {"challenge": CHALLENGE, "origin": FOREIGN}),
        agent.post("/v1/slot", {"card_number": "999999999999"}),
    ]
    for answer in answers:
        assert answer.status >= 400
        assert set(answer.body) == {"code", "message"} or "detail" in answer.body
        assert answer.body["message"]["zh-Hant"] and answer.body["message"]["en"]


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ("Host: evil.example\r\n", "4004"),
        (f"Origin: {TEST_ORIGIN}\r\nOrigin: {FOREIGN}\r\n", "4003"),
    ],
)
def test_repeated_host_or_origin_is_refused(agent: AgentClient, extra: str, code: str) -> None:
    request = (
        f"GET /v1/card HTTP/1.1\r\nHost: 127.0.0.1:{agent.port}\r\n{extra}Connection: close\r\n\r\n"
    )
    with raw_socket(agent) as sock:
        sock.sendall(request.encode())
        response = read_all(sock)
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 403")
    assert json.loads(body)["code"] == code
    assert b"access-control-" not in head.lower()


@pytest.mark.parametrize(
    "target",
    [
        "http://evil.example/v1/card",
        "http://127.0.0.1:{port}/v1/card",  # even naming ourselves: only origin-form is used
        "v1/card",
        "*",
    ],
)
def test_a_request_target_that_is_not_a_path_is_refused(agent: AgentClient, target: str) -> None:
    request = (
        f"GET {target.format(port=agent.port)} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{agent.port}\r\nOrigin: {TEST_ORIGIN}\r\nConnection: close\r\n\r\n"
    )
    with raw_socket(agent) as sock:
        sock.sendall(request.encode())
        response = read_all(sock)
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    document = json.loads(body)
    assert document["code"] == "4013"
    assert set(document["message"]) == {"zh-Hant", "en"}
    assert all(document["message"].values())
    assert "card_number" not in document
