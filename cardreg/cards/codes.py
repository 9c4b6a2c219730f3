"""Codes the portal server returns when it checks a card proof.

The card agent's own codes (reader, card, PC/SC) live in ``cardagent.codes``; both tables feed the
「讀取健保卡發生錯誤說明」 page, so a code is explained the same way wherever it appears.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext


@dataclass(frozen=True)
class ServerCode:
    code: str
    message: Promise
    http_status: int


_CODES = [
    ServerCode(
        "9001",
        _(
            "驗簽失敗：無法確認這張健保卡。請確認插入的是健保署核發的您本人健保卡，"
            "再按「讀取」重試。"
        ),
        403,
    ),
    ServerCode(
        "9002",
        _("驗簽失敗：此類健保卡須經健保署安全模組驗證，本系統目前無法驗證。請洽 0800-030598。"),
        403,
    ),
    ServerCode("9101", _("此驗證碼已經使用過，請重新讀取健保卡。"), 409),
    ServerCode("9102", _("驗證碼已逾時(超過5分鐘)，請重新讀取健保卡。"), 410),
    ServerCode("9103", _("讀卡程式簽署的網站來源與本網站不符，請直接從本署網站重新操作。"), 403),
    ServerCode("9104", _("驗證碼無效或已失效，請重新整理網頁後再讀取健保卡。"), 400),
    ServerCode("9105", _("讀卡資料格式不正確，請重新讀取健保卡。"), 400),
    ServerCode("9106", _("讀取健保卡驗證失敗的次數過多，請稍後再試。"), 429),
    ServerCode("9107", _("讀卡要求的方式不正確，請重新整理網頁後再讀取健保卡。"), 405),
    ServerCode(
        "9901",
        _("本署伺服器暫時無法處理讀卡資料，請稍後再按「讀取」重試；如持續發生，請洽 0800-030598。"),
        500,
    ),
    ServerCode(
        "9202",
        _("此健保卡已申報遺失，不能使用。如已補發新卡，請改插新卡；如已尋回，請洽 0800-030598。"),
        403,
    ),
    ServerCode("9203", _("此健保卡已換發新卡，不能再使用。請改插新卡。"), 403),
    ServerCode("9204", _("此健保卡已註銷，不能使用。請洽 0800-030598。"), 403),
]

SERVER_CODES: dict[str, ServerCode] = {c.code: c for c in _CODES}

# Shown by the page's script when the browser cannot reach the portal (SPEC §2.1's 4061).
PAGE_CODES = {"4061": gettext_noop("無法連接服務網站，請確認網路連線後再試。")}


class CardProofError(Exception):
    """A refused card proof; ``code`` is one of ``SERVER_CODES``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str | Promise:
        return SERVER_CODES[self.code].message

    @property
    def http_status(self) -> int:
        return SERVER_CODES[self.code].http_status


class CardProofThrottled(CardProofError):
    """Too many refused proofs from this address or session: try again in ``wait`` seconds."""

    def __init__(self, wait: int) -> None:
        super().__init__("9106")
        self.wait = wait

    @property
    def message(self) -> str | Promise:
        minutes = max(1, -(-self.wait // 60))
        text = ngettext(
            "讀取健保卡驗證失敗的次數過多，請在 %(minutes)s 分鐘後再試。",
            "讀取健保卡驗證失敗的次數過多，請在 %(minutes)s 分鐘後再試。",
            minutes,
        )
        return text % {"minutes": minutes}
