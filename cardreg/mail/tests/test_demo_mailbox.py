"""The demo mailbox: only in demo mode; lists, shows, offers the link and the attachment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from cardreg.mail.actions import Attachment
from cardreg.mail.models import OutboxMessage
from cardreg.mail.tests.conftest import CONFIRM_URL
from cardreg.mail.views import links_in_html

MakeMail = Callable[..., OutboxMessage]


@pytest.fixture
def demo(settings: Any) -> None:
    settings.CARDREG_DEMO = True
    settings.CARDREG_MAIL_TRANSPORT = "demo"


def test_the_mailbox_is_not_found_outside_demo_mode(
    make_mail: MakeMail, settings: Any, result_log: Attachment
) -> None:
    settings.CARDREG_DEMO = False
    message = make_mail(attachments=[result_log])
    attachment = message.attachments.get()
    for path in (
        "/mail/demo/",
        f"/mail/demo/{message.pk}/",
        f"/mail/demo/{message.pk}/attachments/{attachment.pk}",
    ):
        assert Client().get(path).status_code == 404


def test_the_mailbox_lists_the_newest_first_in_taipei_time(demo: None, make_mail: MakeMail) -> None:
    older = make_mail(to="old@example.tw")
    newer = make_mail(
        to="new@example.tw",
        template="registration_complete",
        context={
            "name": "王小明",
            "login_url": "https://p.example/",
            "services_url": "https://p.example/s",
        },
    )
    OutboxMessage.objects.filter(pk=older.pk).update(
        created_at=datetime(2016, 7, 13, 2, 56, tzinfo=UTC)
    )
    page = Client().get("/mail/demo/").content.decode()
    assert page.index("new@example.tw") < page.index("old@example.tw")
    assert "2016-07-13 10:56:00" in page  # 02:56 UTC
    assert newer.subject in page and "待寄送" in page
    assert f'href="/mail/demo/{newer.pk}/"' in page


def test_a_message_shows_its_link_and_attachment(
    demo: None, make_mail: MakeMail, result_log: Attachment
) -> None:
    message = make_mail(attachments=[result_log])
    page = Client().get(f"/mail/demo/{message.pk}/").content.decode()
    assert message.subject in page
    assert f'<a href="{CONFIRM_URL}">進入電子信箱認證畫面</a>' in page
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page
    assert 'srcdoc="&lt;base target=&quot;_blank&quot;&gt;' in page
    attachment = message.attachments.get()
    url = f"/mail/demo/{message.pk}/attachments/{attachment.pk}"
    assert url in page
    response = Client().get(url)
    assert response.status_code == 200
    assert response.content == result_log.content
    assert response["Content-Disposition"].startswith("attachment;")
    assert Client().get(f"/mail/demo/{message.pk + 1}/").status_code == 404


def test_only_web_links_are_offered() -> None:
    html = (
        '<p><a href="https://a.example/x">Go <b>there</b></a>'
        '<a href="javascript:alert(1)">bad</a><a>no href</a></p>'
    )
    assert links_in_html(html) == [("https://a.example/x", "Go there")]
