"""The seed's sentences in a batch's mails (SPEC §2.4): the registrant's 註冊成功 mail (a mail
merge) with the void rule, 重寄認證信, the login-page fallback link and the closing paragraphs;
the clerk's 入檔完成 mail with the void rule and 『重寄認證信』."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cardreg.employers import processing
from cardreg.employers.models import InsuranceUnit
from cardreg.employers.testing import (
    add_people,
    add_roster,
    batch_rows,
    csv_bytes,
    national_ids,
    submitted_batch,
)
from cardreg.mail.actions import render_mail
from cardreg.mail.models import OutboxMessage

PORTAL = "https://cardreg.example"
FEEDBACK = "https://feedback.example/form"


@pytest.fixture(autouse=True)
def _processed_batch(unit: InsuranceUnit, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.CARDREG_PUBLIC_URL = PORTAL
    settings.CARDREG_FEEDBACK_URL = FEEDBACK
    settings.CARDREG_CONFIRM_DAYS = 5
    settings.CARDREG_EMPLOYER_PENDING_RESEND_DAYS = 30
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2016, 7, 13))
    ids = national_ids(3)
    add_people(ids)
    add_roster(unit.code, ids)
    submitted_batch(unit, csv_bytes(batch_rows(ids)))
    while processing.process_next() is not None:
        pass


def content_of(mail: OutboxMessage) -> str:
    """The text part without the layout's footer."""
    return mail.text.split("\n--\n")[0].rstrip()


def test_each_registrant_mail_ends_with_the_seed_paragraphs() -> None:
    mails = list(OutboxMessage.objects.filter(template="batch_registration"))
    assert len(mails) == 3
    assert len({mail.shared_body_id for mail in mails}) == 1  # still one mail merge
    for mail in mails:
        text = content_of(mail)
        in_order = [
            "/account/activate#",
            "如未於 5 日內完成（或註冊留存電子郵件信箱有誤），本次申請註冊認證程序即為無效",
            "點選『重寄認證信』申請",
            "期限過後 30 日內仍可重寄，超過後請自行「首次登入請先申請」，或洽您的投保單位重新申請",
            f"如無法進入健保卡網路服務註冊登入畫面，請您直接點選下列連結：\n{PORTAL}/\n",
            "註冊密碼應妥善保存勿告知他人",
            "免付費服務電話：0800-030598，或在本署全球資訊網意見信箱留言",
            f"意見信箱：{FEEDBACK}",
            "敬祝\n身體健康 萬事如意",
            "衛生福利部中央健康保險署敬啟\n民國105年07月13日",
        ]
        positions = [text.find(part) for part in in_order]
        assert -1 not in positions and positions == sorted(positions), positions
        assert text.endswith("民國105年07月13日")
        assert f'<a href="{PORTAL}/">{PORTAL}/</a>' in mail.html
        assert f'<a href="{FEEDBACK}">意見信箱</a>' in mail.html
        assert "[[merge:" not in mail.text + mail.html


def test_the_clerk_mail_states_the_void_rule_and_the_resend() -> None:
    mail = OutboxMessage.objects.get(template="batch_done")
    text = content_of(mail)
    for part in (
        "在未完成註冊認證程序前，註冊者所申請之帳號將不會生效",
        "如註冊者未於 5 日內完成（或註冊留存電子郵件信箱有誤者）健保卡註冊認證及設定註冊密碼",
        "本次申請註冊認證程序即為無效，須重新進入本署「健保卡網路服務註冊」點選『重寄認證信』申請",
        "期限過後 30 日內仍可重寄，超過後須由貴單位重新上傳，或由註冊者自行申請",
        f"\n{PORTAL}/\n",
        "免付費服務電話：0800-030598",
        f"意見信箱：{FEEDBACK}",
    ):
        assert part in text, part
    assert "註冊密碼應妥善保存" not in text  # the clerk has no password of theirs here
    assert text.endswith("衛生福利部中央健康保險署敬啟\n民國105年07月13日")


def test_the_clerk_mail_labels_read_as_chinese_and_as_english(unit: InsuranceUnit) -> None:
    zh = content_of(OutboxMessage.objects.get(template="batch_done"))
    assert f"投保單位：{unit.code} " in zh and "入檔結果：" in zh
    context = {"unit": unit, "file_name": "x.CSV", "log_name": "x.log", "days": 5}
    english = render_mail("batch_done", context, "en").text
    assert f"Insurance unit: {unit.code} " in english and "：" not in english
