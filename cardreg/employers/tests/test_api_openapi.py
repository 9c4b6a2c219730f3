"""The OpenAPI document matches the routes, their methods and itself."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, resolve

from cardreg.employers import api_urls
from cardreg.employers.api.testing import bearer, issued_token
from cardreg.employers.models import InsuranceUnit
from cardreg.employers.openapi import ERROR_CODES
from cardreg.employers.tests.conftest import ADMIN_ID

PREFIX = "/api/v1"
METHODS = ("get", "put", "post", "delete", "patch")
FALLBACK = "not_found"  # the JSON 404 for every other URL: no operation of its own


@pytest.fixture
def document(client: Client, db: None) -> dict[str, Any]:
    response = client.get(f"{PREFIX}/openapi.json")  # no token needed
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    parsed: dict[str, Any] = json.loads(response.content)
    return parsed


def shape(route: str) -> str:
    """A path with its parameters blanked: ``batches/<int:batch_id>`` ~ ``/batches/{id}``."""
    return "/" + re.sub(r"<[^>]+>|\{[^}]+\}", "{}", route).lstrip("/")


def routes() -> dict[str, str]:
    """{shape: URL name} of api_urls, the fallback left out."""
    patterns = [p for p in api_urls.urlpatterns if isinstance(p, URLPattern)]
    assert len(patterns) == len(api_urls.urlpatterns)  # no include(): nothing hides below
    return {shape(str(p.pattern)): str(p.name) for p in patterns if p.name != FALLBACK}


def test_the_document_is_openapi_3_1(document: dict[str, Any]) -> None:
    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert document["servers"] == [{"url": PREFIX}]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert document["security"] == [{"bearerAuth": []}]


def test_every_path_is_a_route_and_every_route_a_path(document: dict[str, Any]) -> None:
    for path in document["paths"]:
        match = resolve(PREFIX + path.replace("{id}", "1"))
        assert match.namespace == "api" and match.url_name != FALLBACK, path
    assert {shape(path) for path in document["paths"]} == set(routes())


def test_every_path_answers_exactly_its_operations(
    document: dict[str, Any], client: Client, unit: InsuranceUnit
) -> None:
    headers = bearer(issued_token(unit, ADMIN_ID))
    for path, item in document["paths"].items():
        url = PREFIX + path.replace("{id}", "1")
        for method in METHODS:
            status = getattr(client, method)(url, headers=headers).status_code
            assert (status != 405) == (method in item), (method, path, status)


def test_path_parameters_are_declared(document: dict[str, Any]) -> None:
    for path, item in document["paths"].items():
        declared = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"\{(\w+)\}", path)), path


def refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    for ref in refs(document):
        node: Any = document
        assert ref.startswith("#/"), ref
        for part in ref[2:].split("/"):
            assert part in node, ref
            node = node[part]


def test_every_operation_has_an_id_and_a_success_response(document: dict[str, Any]) -> None:
    ids = []
    for item in document["paths"].values():
        for method in METHODS:
            if method in item:
                operation = item[method]
                ids.append(operation["operationId"])
                assert any(code.startswith("2") for code in operation["responses"])
    assert len(ids) == len(set(ids))


def test_the_error_codes_the_api_uses_are_the_documented_ones() -> None:
    source = "".join(
        path.read_text() for path in Path(api_urls.__file__).with_name("api").glob("*.py")
    )
    used = set(re.findall(r'\.error\(\s*\d{3},\s*"(\w+)"', source))
    used |= set(re.findall(r'ApiError\(\s*\d{3},\s*"(\w+)"', source))
    assert used == set(ERROR_CODES)
