"""What a page that reads the card needs: the agent's address, the server's endpoints and texts.

Used by every page with a 「讀取」 button and by the environment check (static/js/cardproof.js).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from cardreg.cards.codes import PAGE_CODES


def reader_config() -> dict[str, Any]:
    return {
        "agentUrl": settings.CARDREG_AGENT_URL,
        "minVersion": settings.CARDREG_AGENT_MIN_VERSION,
        "challengeUrl": reverse("cards:challenge"),
        "verifyUrl": reverse("cards:verify"),
        "texts": browser_texts(),
    }


def browser_texts() -> dict[str, str]:
    return {
        "checking": _("檢測中…"),
        "notChecked": _("尚未檢測(請先完成上一項)"),
        "browserOk": _("支援"),
        "browserOld": _("此瀏覽器版本過舊，無法讀取健保卡"),
        "browserFix": _("請更新為最新版的 Chrome、Edge、Firefox 或 Safari。"),
        "agentRunning": _("已啟動，版本 {version}"),
        "agentOld": _("已啟動，但版本 {version} 過舊"),
        "agentMissing": _("找不到讀卡程式(未安裝或未啟動)"),
        "agentFix": _(
            "請安裝並啟動「健保卡讀卡程式」(cardagent)，再按「重新檢測」。"
            "已安裝者請重新開機或從開始功能表啟動讀卡程式。"
        ),
        # How to start the agent, for the operating system the page detects.
        # Only the environment check shows these, above its 「下載健保卡讀卡程式」 section.
        "agentFixWindows": _(
            "Windows：安裝程式尚未推出，請依本頁下方「下載健保卡讀卡程式」的說明，"
            "以 pipx 安裝讀卡程式並啟動它，再按「重新檢測」。"
        ),
        "agentFixMac": _(
            "macOS：安裝程式尚未推出，請依本頁下方「下載健保卡讀卡程式」的說明，"
            "以 pipx 安裝讀卡程式並啟動它，再按「重新檢測」。"
        ),
        "agentFixLinux": _(
            "Linux：請依本頁下方「下載健保卡讀卡程式」的步驟安裝讀卡程式套件；"
            "已安裝者請執行 systemctl --user start cardagent，再按「重新檢測」。"
        ),
        "serviceRunning": _("已啟動"),
        "serviceVirtual": _("使用虛擬讀卡機(示範)，不需要"),
        "serviceFix": _(
            "Windows：請在「服務」中將「Smart Card」服務的啟動類型設為「自動」並啟動它；"
            "Linux：請執行 sudo systemctl enable --now pcscd;macOS 內建，請重新開機。"
        ),
        "agentUpdateFix": _("請下載並安裝最新版的讀卡程式。"),
        "readerFound": _("已連接：{names}"),
        "readerMissing": _("找不到讀卡機"),
        "readerFix": _("請將晶片讀卡機插到電腦的 USB 插槽，等候指示燈亮起，再按「重新檢測」。"),
        "cardPresent": _("已插入"),
        "cardFix": _("請將健保卡晶片朝上、朝內插入讀卡機，再按「重新檢測」。"),
        "verified": _("驗證成功：{name}({id})"),
        "verifyFix": _("請確認插入的是您本人有效的健保卡；如仍無法驗證，請洽 {phone}。").replace(
            "{phone}", settings.CARDREG_TOLL_FREE
        ),
        "allOk": _("您的電腦環境符合需求，可以使用健保卡網路服務。"),
        "someBad": _("有項目不符合建議設定，請依表中說明處理後，再按「重新檢測」。"),
        "reading": _("讀取中，請勿取出健保卡…"),
        "serverUnreachable": "[4061] " + _(PAGE_CODES["4061"]),
    }
