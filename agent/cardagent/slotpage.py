"""The virtual reader's card slot: a small bilingual page to insert and remove demo cards.

The page lists the wallet's cards with masked numbers and IDs and posts ``{"card_number": ...}``
to ``POST /v1/slot``. Its script and style are inline and allowed by hash in a strict CSP.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from html import escape
from typing import Any

from cardagent.virtual import Wallet


def mask_card_number(number: str) -> str:
    return f"{number[:4]}****{number[-4:]}"


def mask_national_id(national_id: str) -> str:
    # SPEC §5: first 6 characters + ****, everywhere but where the owner sees his own data.
    return f"{national_id[:6]}****"


def slot_state(wallet: Wallet) -> dict[str, Any]:
    return {
        "inserted": wallet.inserted,
        "cards": [
            {
                "card_number": card.card_number,
                "card_number_masked": mask_card_number(card.card_number),
                "name": card.data.name,
                "national_id_masked": mask_national_id(card.data.national_id),
                "can_sign": card.private_key is not None,
            }
            for card in wallet.cards
        ],
    }


_STYLE = """
body { font: 1.25rem/1.6 system-ui, "Noto Sans TC", "Microsoft JhengHei", sans-serif;
  margin: 0 auto; max-width: 60rem; padding: 1rem; color: #111; background: #fff; }
table { border-collapse: collapse; width: 100%; }
.table-scroll { overflow-x: auto; margin: 1rem 0; position: relative; }
th { word-break: keep-all; }
caption { text-align: left; font-weight: bold; }
th, td { border: 1px solid #555; padding: .5rem; text-align: left; }
button { font: inherit; min-height: 2.75rem; padding: .25rem 1rem; border: 2px solid #0b3d91;
  border-radius: .3rem; background: #0b3d91; color: #fff; cursor: pointer; }
button.remove { background: #fff; color: #0b3d91; }
button:focus-visible { outline: 4px solid #e3a300; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
#state { font-weight: bold; padding: .5rem; border-left: .4rem solid #0b3d91; background: #eef3fb; }
[lang="en"] { color: #333; }
"""

_SCRIPT = """
"use strict";
const stateLine = document.getElementById("state");
function render(inserted) {
  let holder = null;
  for (const row of document.querySelectorAll("tr[data-card]")) {
    const here = row.dataset.card === inserted;
    const name = row.dataset.name;
    if (here) holder = name;
    row.querySelector(".state").textContent = here ? "已插入 Inserted" : "未插入 Not inserted";
    const button = row.querySelector("button");
    button.dataset.target = here ? "" : row.dataset.card;
    button.className = here ? "remove" : "insert";
    button.querySelector(".action").textContent = here ? "取出 Remove" : "插入 Insert";
  }
  stateLine.textContent = holder
    ? `讀卡機裡現在是${holder}的卡片。 The reader now holds the card of ${holder}.`
    : "讀卡機裡現在沒有卡片。 The reader is now empty.";
}
async function choose(target) {
  stateLine.textContent = "處理中… Working…";
  try {
    const response = await fetch("/v1/slot", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ card_number: target || null }),
    });
    const body = await response.json();
    if (response.ok) render(body.inserted);
    else stateLine.textContent = `[${body.code}] ${body.message["zh-Hant"]} ${body.message.en}`;
  } catch (error) {
    stateLine.textContent =
      "無法連到讀卡程式，請確認它還在執行。 Cannot reach the card agent: is it still running?";
  }
}
document.querySelector("tbody").addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (button) choose(button.dataset.target);
});
render(document.body.dataset.inserted || null);
"""


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_CSP = (
    f"default-src 'none'; script-src {_csp_hash(_SCRIPT)}; style-src {_csp_hash(_STYLE)}; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SLOT_PAGE_HEADERS = (
    ("Content-Security-Policy", _CSP),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)


@dataclass(frozen=True)
class SlotPage:
    html: str
    headers: tuple[tuple[str, str], ...] = SLOT_PAGE_HEADERS


def _row(card: dict[str, Any]) -> str:
    number, name = escape(card["card_number"]), escape(card["name"])
    return (
        f'<tr data-card="{number}" data-name="{name}">'
        f"<td>{escape(card['card_number_masked'])}</td><td>{name}</td>"
        f"<td>{escape(card['national_id_masked'])}</td>"
        f"<td>{'可以' if card['can_sign'] else '不可以'} "
        f'<span lang="en">{"yes" if card["can_sign"] else "no"}</span></td>'
        # A screen reader hears whose card; the name starts with the visible words (WCAG 2.5.3).
        '<td class="state"></td><td><button type="button"><span class="action">插入 Insert</span>'
        f'<span class="visually-hidden"> {name}</span></button></td></tr>'
    )


def render_slot_page(wallet: Wallet) -> SlotPage:
    state = slot_state(wallet)
    rows = "\n".join(_row(card) for card in state["cards"])
    inserted = escape(state["inserted"] or "")
    html = f"""<!doctype html>
<html lang="zh-Hant">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>虛擬讀卡機卡槽 Virtual card slot</title>
<style>{_STYLE}</style>
</head>
<body data-inserted="{inserted}">
<main>
<h1>虛擬讀卡機卡槽 <span lang="en">Virtual card slot</span></h1>
<p>這是示範用的虛擬讀卡機。按「插入」把卡片放進讀卡機，按「取出」把卡片拿出來，然後回到網頁按「讀取」。<br>
<span lang="en">This is the demo's virtual card reader. Press “Insert” to put a card into the
reader and “Remove” to take it out, then go back to the web page and press “Read”.</span></p>
<p id="state" role="status" aria-live="polite"></p>
<noscript><p>這個頁面需要 JavaScript。
<span lang="en">This page needs JavaScript.</span></p></noscript>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="cards-caption">
<table>
<caption id="cards-caption">示範卡片(虛構人物)
<span lang="en">Demo cards (made-up people)</span></caption>
<thead><tr>
<th scope="col">卡號 <span lang="en">Card number</span></th>
<th scope="col">姓名 <span lang="en">Name</span></th>
<th scope="col">身分證號 <span lang="en">ID number</span></th>
<th scope="col">可證明身分 <span lang="en">Can sign</span></th>
<th scope="col">狀態 <span lang="en">State</span></th>
<th scope="col">操作 <span lang="en">Action</span></th>
</tr></thead>
<tbody>
{rows}
</tbody>
</table>
</div>
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""
    return SlotPage(html)
