"""Every code a user can meet while reading a card, for the 「讀取健保卡發生錯誤說明」 page.

One list built from the tables the software itself uses: the card agent's (``cardagent.codes``),
the server's (``cardreg.cards.codes``) and the page's own, so the page cannot drift from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardagent.codes import all_codes
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cardreg.cards.codes import PAGE_CODES, SERVER_CODES


@dataclass(frozen=True)
class ExplainedCode:
    code: str
    source: str
    message: str


def explained_codes() -> list[ExplainedCode]:
    english = (get_language() or "").startswith("en")
    rows = [
        ExplainedCode(info.code, _("讀卡程式"), info.en if english else info.zh_hant)
        for info in all_codes()
    ]
    rows += [ExplainedCode(c.code, _("本署伺服器"), str(c.message)) for c in SERVER_CODES.values()]
    rows += [ExplainedCode(code, _("網頁"), _(text)) for code, text in PAGE_CODES.items()]
    return sorted(rows, key=lambda row: row.code)
