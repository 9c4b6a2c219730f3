"""Lists of names shown to people are joined as their language writes lists."""

from __future__ import annotations

from django.utils import translation

from cardreg.accounts.messages import CONTACT_FIELDS
from cardreg.lists import join_names
from cardreg.mail.actions import render_mail


def test_names_are_joined_with_the_languages_separator() -> None:
    with translation.override("zh-hant"):
        assert join_names(["健保卡註冊上傳", "健保卡註冊查詢"]) == "健保卡註冊上傳、健保卡註冊查詢"
    with translation.override("en"):
        assert join_names(["upload", "query"]) == "upload, query"
    assert join_names([]) == ""


def test_the_changed_data_mail_lists_the_data_in_its_language() -> None:
    items = [CONTACT_FIELDS["phone"], CONTACT_FIELDS["mobile"]]
    context = {"name": "王小明", "items": items}
    with translation.override("en"):
        expected_en = f"{items[0]}, {items[1]}"
    with translation.override("zh-hant"):
        expected_zh = f"{items[0]}、{items[1]}"
    assert expected_en in render_mail("contact_changed", context, "en").text
    assert expected_zh in render_mail("contact_changed", context, "zh-hant").text
