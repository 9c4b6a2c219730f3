"""The site's icon: linked from every page, and at /favicon.ico where browsers look for it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_every_page_links_the_svg_icon() -> None:
    page = Client().get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = Client().get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert body(icon).startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


def test_favicon_ico_answers_with_an_icon_file() -> None:
    response = Client().get("/favicon.ico", follow=True)
    assert response.redirect_chain == [("/static/favicon.ico", 302)]
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert body(response)[:4] == b"\x00\x00\x01\x00"  # the ICO header: reserved 0, type 1 (icon)
