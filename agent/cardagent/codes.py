"""Every code the card agent answers with: one table, both languages, one HTTP status each.

Card and reader codes reuse the NHI card component's numbers (SPEC §2.1) where the meaning
matches, so a user who searches the old error explanation page finds the same number. Codes in
the 4xxx range are the agent's own (the HTTP layer: who may ask, and how).

The portal builds its 「讀取健保卡發生錯誤說明」 page from :data:`CODE_TABLE` (or
:func:`all_codes`), so the messages are written for the person at the card reader: plain
words, and what to do next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Code(StrEnum):
    PCSC_UNAVAILABLE = "7001"
    NO_READER = "7002"
    READER_ERROR = "7003"
    CARD_READ_FAILED = "8001"
    NOT_NHI_CARD = "8006"
    BASIC_DATA_REFUSED = "8010"
    BASIC_DATA_MALFORMED = "8011"
    NO_CARD = "8013"
    PROOF_UNSUPPORTED = "8302"
    BAD_REQUEST = "4001"
    BAD_CHALLENGE = "4002"
    ORIGIN_NOT_ALLOWED = "4003"
    HOST_NOT_ALLOWED = "4004"
    ORIGIN_MISMATCH = "4005"
    NOT_FOUND = "4006"
    METHOD_NOT_ALLOWED = "4007"
    BODY_TOO_LARGE = "4008"
    NOT_JSON = "4009"
    SLOT_VIRTUAL_ONLY = "4010"
    CARD_NOT_IN_WALLET = "4011"
    WALLET_UNREADABLE = "4012"
    TARGET_NOT_PATH = "4013"
    INTERNAL_ERROR = "4099"


@dataclass(frozen=True)
class CodeInfo:
    code: str
    http_status: int
    zh_hant: str
    en: str

    def message(self) -> dict[str, str]:
        return {"zh-Hant": self.zh_hant, "en": self.en}


_RETRY_ZH = "請重新整理網頁後再試一次。"
_RETRY_EN = "Reload the web page and try again."

_TABLE = [
    CodeInfo(
        Code.PCSC_UNAVAILABLE,
        503,
        "PC/SC 環境異常：電腦的智慧卡服務(Smart Card 服務/pcscd)沒有在執行。"
        "請重新開機；如果還是不行，請重新安裝讀卡機的驅動程式與健保卡讀卡程式。",
        "PC/SC error: the computer's smart-card service (Smart Card service / pcscd) is not "
        "running. Restart the computer; if that does not help, reinstall the card reader's "
        "driver and the card agent.",
    ),
    CodeInfo(
        Code.NO_READER,
        503,
        "無法存取讀卡機：找不到讀卡機。請把讀卡機的 USB 線插好(也可以換一個 USB 插孔)，"
        "等 5 秒後再試一次。",
        "Cannot access the card reader: no card reader was found. Plug the reader's USB cable "
        "in firmly (or try another USB port), wait 5 seconds and try again.",
    ),
    CodeInfo(
        Code.READER_ERROR,
        503,
        "無法存取讀卡機：讀卡機沒有回應，或正被其他程式使用。請關閉其他會讀健保卡的程式，"
        "把讀卡機拔下再插上，然後再試一次。",
        "Cannot access the card reader: it does not answer, or another program is using it. "
        "Close other programs that read the card, unplug the reader and plug it in again, "
        "then try again.",
    ),
    CodeInfo(
        Code.CARD_READ_FAILED,
        409,
        "讀卡異常：讀卡時健保卡被拔出，或健保卡沒有回應。請把健保卡晶片朝上插好，"
        "讀取完成前不要拔出，然後再試一次。",
        "Card read error: the card was taken out, or stopped answering, while it was being "
        "read. Insert the card with the chip facing up, leave it in until reading has "
        "finished, and try again.",
    ),
    CodeInfo(
        Code.NOT_NHI_CARD,
        409,
        "卡片回傳無法認卡：讀卡機裡的卡片不是健保卡。請取出這張卡片，改插入您的健保卡。",
        "The card was not recognised: the card in the reader is not an NHI card. Take it out "
        "and insert your NHI card instead.",
    ),
    CodeInfo(
        Code.BASIC_DATA_REFUSED,
        409,
        "讀取基本資料失敗：健保卡不讓讀取基本資料。請取出健保卡、重新插入後再試一次；"
        "如果還是失敗，健保卡可能已損壞，請洽健保署 0800-030598。",
        "Reading the basic data failed: the card refused to give its basic data. Take the "
        "card out, insert it again and retry; if it still fails, the card may be damaged: "
        "call the NHI on 0800-030598.",
    ),
    CodeInfo(
        Code.BASIC_DATA_MALFORMED,
        409,
        "讀取基本資料失敗：健保卡裡的基本資料格式不正確。請取出健保卡、重新插入後再試一次；"
        "如果還是失敗，請洽健保署 0800-030598 換發新卡。",
        "Reading the basic data failed: the basic data on the card is not in the expected "
        "format. Take the card out, insert it again and retry; if it still fails, call the "
        "NHI on 0800-030598 to get a new card.",
    ),
    CodeInfo(
        Code.NO_CARD,
        409,
        "無法存取健保卡，請查明讀卡機是否已插好或是否已置入健保卡",
        "Cannot access the NHI card. Check that the card reader is plugged in and that your "
        "NHI card is inserted in it (chip facing up).",
    ),
    CodeInfo(
        Code.PROOF_UNSUPPORTED,
        409,
        "已讀到健保卡，但這種健保卡必須透過健保署的安全模組才能證明是真卡，本讀卡程式無法代為證明，"
        "所以不能用它登入。請洽健保署 0800-030598 詢問其他登入方式。",
        "The card was read, but this type of card can prove it is genuine only through the "
        "NHI security module, which this card agent cannot use, so it cannot be used to sign "
        "in. Call the NHI on 0800-030598 to ask about other ways to sign in.",
    ),
    CodeInfo(
        Code.BAD_REQUEST,
        400,
        "讀卡程式收到格式錯誤的要求。" + _RETRY_ZH,
        "The card agent received a malformed request. " + _RETRY_EN,
    ),
    CodeInfo(
        Code.BAD_CHALLENGE,
        400,
        "網頁送來的驗證碼格式不正確。" + _RETRY_ZH,
        "The verification code sent by the web page is not valid. " + _RETRY_EN,
    ),
    CodeInfo(
        Code.ORIGIN_NOT_ALLOWED,
        403,
        "這個網站不在讀卡程式允許的名單內，讀卡程式不會為它讀取健保卡。請直接從健保署的網站操作。",
        "This website is not on the card agent's allowed list, so the agent will not use "
        "your card for it. Go to the NHI website directly.",
    ),
    CodeInfo(
        Code.HOST_NOT_ALLOWED,
        403,
        "讀卡程式只接受寄給 127.0.0.1 或 localhost 的要求，已拒絕這個要求。"
        "請直接從健保署的網站操作。",
        "The card agent only answers requests addressed to 127.0.0.1 or localhost, so it "
        "refused this one. Go to the NHI website directly.",
    ),
    CodeInfo(
        Code.ORIGIN_MISMATCH,
        403,
        "要求簽章的網站和送出要求的網頁不一樣，讀卡程式已拒絕。請直接從健保署的網站重新操作。",
        "The website named in the signing request is not the page that sent it, so the "
        "agent refused. Start again from the NHI website.",
    ),
    CodeInfo(
        Code.NOT_FOUND,
        404,
        "讀卡程式沒有這項功能。請更新讀卡程式，或重新整理網頁後再試一次。",
        "The card agent has no such function. Update the card agent, or reload the web page "
        "and try again.",
    ),
    CodeInfo(
        Code.METHOD_NOT_ALLOWED,
        405,
        "讀卡程式不接受這種要求方式。" + _RETRY_ZH,
        "The card agent does not accept this kind of request. " + _RETRY_EN,
    ),
    CodeInfo(
        Code.BODY_TOO_LARGE,
        413,
        "送給讀卡程式的資料太大，已拒絕。" + _RETRY_ZH,
        "The data sent to the card agent is too large and was refused. " + _RETRY_EN,
    ),
    CodeInfo(
        Code.NOT_JSON,
        415,
        "送給讀卡程式的資料必須是 JSON 格式。" + _RETRY_ZH,
        "Data sent to the card agent must be JSON. " + _RETRY_EN,
    ),
    CodeInfo(
        Code.SLOT_VIRTUAL_ONLY,
        404,
        "這個讀卡程式使用實體讀卡機；虛擬卡槽只有示範模式(虛擬讀卡機)才有。請把健保卡插入讀卡機。",
        "This card agent uses a real card reader; the virtual card slot exists only in demo "
        "mode (virtual reader). Insert your NHI card into the reader.",
    ),
    CodeInfo(
        Code.CARD_NOT_IN_WALLET,
        409,
        "示範卡片清單裡沒有這張卡片。請重新整理卡槽頁面，從清單中選一張卡片。",
        "This card is not in the demo card list. Reload the card slot page and pick a card "
        "from the list.",
    ),
    CodeInfo(
        Code.WALLET_UNREADABLE,
        503,
        "無法讀取示範用的虛擬卡片檔案。請重新建立示範資料，再重新啟動讀卡程式。",
        "The demo's virtual card file cannot be read. Create the demo data again, then "
        "restart the card agent.",
    ),
    CodeInfo(
        Code.TARGET_NOT_PATH,
        400,
        "讀卡程式只接受指向本機路徑的要求（例如 /v1/card），已拒絕這個要求。"
        "請直接從健保署的網站操作。",
        "The card agent only answers requests for one of its own paths (such as /v1/card), "
        "so it refused this one. Go to the NHI website directly.",
    ),
    CodeInfo(
        Code.INTERNAL_ERROR,
        500,
        "讀卡程式發生內部錯誤。請關閉讀卡程式再重新開啟，然後再試一次。",
        "The card agent had an internal error. Close the card agent, start it again, and "
        "try again.",
    ),
]

CODE_TABLE: Mapping[str, CodeInfo] = MappingProxyType({info.code: info for info in _TABLE})

# A code without an entry would answer a user with a KeyError: fail at import, not at run time.
if set(CODE_TABLE) != {str(code) for code in Code}:
    raise RuntimeError("cardagent.codes: every Code needs exactly one CodeInfo")


def all_codes() -> tuple[CodeInfo, ...]:
    """Every code the agent can answer with, in numeric order (for explanation pages)."""
    return tuple(sorted(CODE_TABLE.values(), key=lambda info: info.code))


def error_body(code: Code) -> dict[str, object]:
    """The JSON body of a failure: ``{"code": "8013", "message": {"zh-Hant": ..., "en": ...}}``."""
    info = CODE_TABLE[code]
    return {"code": info.code, "message": info.message()}


class CardError(Exception):
    """A failure the user must see as a code. ``detail`` is for developers and logs: no PII."""

    def __init__(self, code: Code, detail: str = "") -> None:
        super().__init__(f"[{code}] {detail}" if detail else f"[{code}]")
        self.code = code
        self.detail = detail

    @property
    def info(self) -> CodeInfo:
        return CODE_TABLE[self.code]

    @property
    def http_status(self) -> int:
        return self.info.http_status

    def body(self) -> dict[str, object]:
        body = error_body(self.code)
        if self.detail:
            body["detail"] = self.detail
        return body
