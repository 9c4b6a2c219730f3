"""Lists of names (rights, changed data...) joined for display in the active language."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def join_names(names: Iterable[object]) -> str:
    """「健保卡註冊上傳、健保卡註冊查詢」 in Chinese, "upload, query" in English."""
    return pgettext("list separator", "、").join(str(name) for name in names)
