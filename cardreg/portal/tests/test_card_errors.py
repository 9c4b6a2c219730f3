"""The 「讀取健保卡發生錯誤說明」 page is generated from the code tables the software uses."""

from __future__ import annotations

import re

from cardagent.codes import all_codes
from django.test import Client

from cardreg.cards.codes import PAGE_CODES, SERVER_CODES


def codes_on(page: str) -> set[str]:
    return set(re.findall(r'<tr id="code-(\d{4})">', page))


def test_every_agent_server_and_page_code_is_explained_in_both_languages(db: None) -> None:
    expected = {info.code for info in all_codes()} | set(SERVER_CODES) | set(PAGE_CODES)
    chinese = Client().get("/card-errors").content.decode()
    english = Client(headers={"accept-language": "en"}).get("/card-errors").content.decode()
    assert codes_on(chinese) == expected
    assert codes_on(english) == expected
    assert "無法存取健保卡" in chinese  # 8013, as the seed words it
    for code in SERVER_CODES:
        row = english.split(f'<tr id="code-{code}">')[1].split("</tr>")[0]
        assert not re.search(r"[\u4e00-\u9fff]", row), f"{code} has no English text"


def test_codes_do_not_collide_between_tables() -> None:
    agent = [info.code for info in all_codes()]
    combined = agent + list(SERVER_CODES) + list(PAGE_CODES)
    assert len(combined) == len(set(combined))
