"""Queueing: one transaction with the caller's change, rendered once, one wake-up on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cardreg.mail.actions import queue_mail
from cardreg.mail.delivery import deliver_due
from cardreg.mail.models import MessageStatus, OutboxMessage
from cardreg.mail.tests.conftest import CONFIRM_URL, SmtpSink, run_ready_tasks, sweeps_waiting

CONTEXT = {"name": "王小明", "confirm_url": CONFIRM_URL, "days": 5}


class Rollback(Exception):
    pass


def test_a_rolled_back_transaction_stores_and_sends_nothing(
    smtp_server: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        queue_mail(to="a@example.tw", template="registration_confirm", context=CONTEXT)
        raise Rollback
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert deliver_due().handled == 0
    assert smtp_server.received == []


def test_a_committed_mail_is_delivered_by_the_worker_task(
    smtp_server: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = queue_mail(to="a@example.tw", template="registration_confirm", context=CONTEXT)
    assert smtp_server.received == []  # nothing is sent from the request
    assert run_ready_tasks() == 1
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_one_transaction_wakes_the_worker_once(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(3):
            queue_mail(to=f"p{n}@example.tw", template="registration_confirm", context=CONTEXT)
    assert len(callbacks) == 1
    assert len(sweeps_waiting()) == 1


@pytest.mark.django_db(transaction=True)  # real commits, so on_commit callbacks really run
def test_transactions_in_a_row_wake_one_sweep_until_it_starts() -> None:
    for n in range(3):  # e.g. the chunks of a batch upload, each its own transaction
        with transaction.atomic():
            queue_mail(to=f"p{n}@example.tw", template="registration_confirm", context=CONTEXT)
    due = DBTaskResult.objects.ready().filter(task_path__endswith="send_queued_mail")
    assert due.count() == 1
    DBTaskResult.objects.filter(pk=due.get().pk).update(status="RUNNING")  # a worker took it
    with transaction.atomic():
        queue_mail(to="later@example.tw", template="registration_confirm", context=CONTEXT)
    assert due.count() == 1  # a commit after the sweep started wakes a new one


def test_a_rolled_back_savepoint_keeps_the_wake_up_of_the_rest(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(Rollback), transaction.atomic():
            queue_mail(to="a@example.tw", template="registration_confirm", context=CONTEXT)
            raise Rollback
        queue_mail(to="b@example.tw", template="registration_confirm", context=CONTEXT)
    assert len(callbacks) == 1
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["b@example.tw"]


def test_a_malformed_address_is_a_loud_error(make_mail: Callable[..., OutboxMessage]) -> None:
    with pytest.raises(ValidationError):
        make_mail(to="not-an-address")
    assert OutboxMessage.objects.count() == 0


def test_the_same_dedup_key_queues_one_message(make_mail: Callable[..., OutboxMessage]) -> None:
    first = make_mail(to="a@example.tw", dedup_key="confirm:abc")
    second = make_mail(to="a@example.tw", dedup_key="confirm:abc")
    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    make_mail(to="a@example.tw")
    make_mail(to="a@example.tw")
    assert OutboxMessage.objects.count() == 3  # no key: no deduplication


def test_the_mail_is_rendered_once_with_the_common_context(
    make_mail: Callable[..., OutboxMessage], settings: Any
) -> None:
    settings.CARDREG_PUBLIC_URL = "https://cardreg.example/"
    message = make_mail()
    assert message.subject == "健保卡網路服務註冊-電子信箱認證信"
    assert "王小明 您好" in message.text_body
    assert CONFIRM_URL in message.text_body
    assert f'href="{CONFIRM_URL}"' in message.html_body
    assert "進入電子信箱認證畫面" in message.html_body
    assert "請於 5 日內" in message.text_body
    assert "https://cardreg.example/environment-check" in message.text_body
    assert "0800-030598" in message.text_body
    assert message.message_id.startswith("<") and message.message_id.endswith("@nhi.example>")
    assert message.status == MessageStatus.PENDING


def test_html_is_escaped_and_text_is_not(make_mail: Callable[..., OutboxMessage]) -> None:
    url = "https://portal.example/account/confirm?a=1&b=2"
    message = make_mail(context={"name": "<陳&林>", "confirm_url": url, "days": 5})
    assert "<陳&林> 您好" in message.text_body
    assert url in message.text_body
    assert "&lt;陳&amp;林&gt;" in message.html_body
    assert "confirm?a=1&amp;b=2" in message.html_body


COMPLETE = {
    "name": "王小明",
    "login_url": "https://portal.example/",
    "services_url": "https://portal.example/account/services",
}
FEEDBACK = "https://feedback.example/form?a=1&b=2"


@pytest.fixture
def seed_day(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """The seed's mail day, 民國105年07月13日, and a feedback form of our own."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2016, 7, 13))
    settings.CARDREG_FEEDBACK_URL = FEEDBACK


def test_the_completion_notice_says_what_the_spec_asks(
    make_mail: Callable[..., OutboxMessage], seed_day: None
) -> None:
    message = make_mail(template="registration_complete", context=COMPLETE)
    assert message.subject == "健保卡網路服務註冊-完成通知"
    for text in (
        "註冊已完成",
        "首次登入前，請先完成電腦環境設定",
        "https://portal.example/account/services",
    ):
        assert text in message.text_body
    assert 'href="https://portal.example/"' in message.html_body
    # The seed's closing paragraphs, in its order, and then only the layout's footer.
    content, _footer = message.text_body.split("\n--\n")
    closing = [
        "註冊密碼應妥善保存勿告知他人，以避免資料遭他人盜用",
        "歡迎您電洽本署免付費服務電話：0800-030598，或在本署全球資訊網意見信箱留言",
        f"意見信箱：{FEEDBACK}",
        "敬祝\n身體健康 萬事如意",
        "衛生福利部中央健康保險署敬啟\n民國105年07月13日",
    ]
    positions = [content.find(text) for text in closing]
    assert -1 not in positions and positions == sorted(positions), positions
    assert content.rstrip().endswith("民國105年07月13日")
    assert 'href="https://feedback.example/form?a=1&amp;b=2">意見信箱</a>' in message.html_body
    assert "民國105年07月13日</p>" in message.html_body


def test_the_english_completion_notice_signs_off_with_the_date(
    make_mail: Callable[..., OutboxMessage], seed_day: None
) -> None:
    message = make_mail(template="registration_complete", context=COMPLETE, language="en")
    content = message.text_body.split("\n--\n")[0].rstrip()
    assert "toll-free helpline 0800-030598" in content
    assert f"Feedback form: {FEEDBACK}" in content
    assert content.endswith(
        "National Health Insurance Administration, Ministry of Health and Welfare\n2016-07-13"
    )
    assert "敬祝" not in message.text_body


def test_english_renders_with_the_chinese_text_until_translated(
    make_mail: Callable[..., OutboxMessage],
) -> None:
    message = make_mail(language="en")
    assert message.language == "en"
    assert '<html lang="en">' in message.html_body
    assert CONFIRM_URL in message.text_body
