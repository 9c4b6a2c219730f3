"""The error pages (400, 403, 404, 500) and the expired-form page: in the site's layout, in both
languages, with the right status and a way back; the 500 page even with the database down."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("cardreg.portal.tests.error_urls")

# status: (path, 繁體中文 heading, English heading)
PAGES = {
    400: ("/failing/400", "無法處理這個要求", "The request could not be handled"),
    403: ("/failing/403", "無法使用這個網頁", "You cannot use this page"),
    404: ("/no-such-page", "找不到這個網頁", "Page not found"),
    500: ("/failing/500", "系統發生錯誤", "Something went wrong on our side"),
}
LANGUAGES = {"zh-hant": "zh-Hant-TW", "en": "en"}  # Accept-Language: <html lang>


def get(path: str, language: str = "zh-hant", headers: dict[str, str] | None = None) -> Any:
    client = Client(raise_request_exception=False, headers={"accept-language": language})
    return client.get(path, headers=headers)


def assert_error_page(response: Any, status: int, language: str, heading: str) -> str:
    """The page is in the layout (one header, main and footer; one h1) and leads home."""
    assert response.status_code == status
    page: str = response.content.decode()
    assert f'<html lang="{LANGUAGES[language]}">' in page
    for landmark in ("<header", "<main", "<footer"):
        assert page.count(landmark) == 1, landmark
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == [heading]
    ways_back = page.split('id="error-links"')[1].split("</ul>")[0]
    assert 'href="/"' in ways_back
    return page


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", PAGES)
def test_each_error_page_is_in_the_layout_with_a_way_home(status: int, language: str) -> None:
    path, chinese, english = PAGES[status]
    heading = english if language == "en" else chinese
    assert_error_page(get(path, language), status, language, heading)


def test_the_500_page_needs_no_database() -> None:
    # No django_db here: any query fails, as with the database down. A session cookie makes the
    # middleware look the visitor up, which fails before the view is reached: a 500.
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-the-database-cannot-be-asked-about"
    response = client.get("/environment-check")
    page = assert_error_page(response, 500, "zh-hant", "系統發生錯誤")
    assert "請過幾分鐘再試一次；如果一直發生，請撥免付費客服專線 0800-030598。" in page
    assert "/i18n/setlang/" not in page  # no form without its CSRF token: it could not be sent


@pytest.mark.django_db
def test_an_unknown_host_gets_the_400_page() -> None:
    response = get("/", headers={"host": "evil.example"})
    assert_error_page(response, 400, "zh-hant", "無法處理這個要求")


@pytest.mark.django_db
def test_the_404_page_leads_back_to_the_previous_page_only_if_it_was_ours() -> None:
    ours = "http://testserver/environment-check"
    page = get("/no-such-page", headers={"referer": ours}).content.decode()
    assert f'<a href="{ours}">上一頁</a>' in page
    for elsewhere in ("https://evil.example/", "javascript:alert(1)"):
        assert "上一頁" not in get("/no-such-page", headers={"referer": elsewhere}).content.decode()


@pytest.mark.django_db
def test_the_404_page_keeps_the_language_switch() -> None:
    page = get("/no-such-page").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert '<input name="next" type="hidden" value="/no-such-page">' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "advice"),
    [
        ("zh-hant", "表單已過期", "請回到上一頁，重新整理（重新載入）網頁後，再送出一次。"),
        ("en", "This form has expired", "Go back to the previous page, reload it"),
    ],
)
def test_an_expired_form_gets_a_page_that_says_to_reload(
    language: str, heading: str, advice: str
) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    form = "http://testserver/"
    client.get(form)
    response = client.post("/", {"csrfmiddlewaretoken": "x" * 64}, HTTP_REFERER=form)
    page = assert_error_page(response, 403, language, heading)
    assert advice in page
    assert f'<a href="{form}">' in page  # back to the form, to reload it
