"""The code table: complete, bilingual, and the shape every failure answers with."""

from __future__ import annotations

import re
from pathlib import Path

from cardagent.codes import CODE_TABLE, CardError, Code, all_codes, error_body


def test_every_code_has_both_languages_and_an_error_status() -> None:
    for info in all_codes():
        assert re.fullmatch(r"[0-9]{4}", info.code)
        assert 400 <= info.http_status <= 599
        assert re.search(r"[\u4e00-\u9fff]", info.zh_hant), info.code
        assert info.en.isascii() and info.en.endswith("."), info.code


def test_all_codes_lists_the_table_in_numeric_order() -> None:
    codes = [info.code for info in all_codes()]
    assert codes == sorted(CODE_TABLE)
    assert set(codes) == {str(code) for code in Code}


def test_spec_codes_keep_their_meaning() -> None:
    assert CODE_TABLE["8013"].zh_hant == "無法存取健保卡，請查明讀卡機是否已插好或是否已置入健保卡"
    assert CODE_TABLE["7001"].zh_hant.startswith("PC/SC 環境異常")
    assert CODE_TABLE["8001"].zh_hant.startswith("讀卡異常")
    assert CODE_TABLE["8006"].zh_hant.startswith("卡片回傳無法認卡")
    assert CODE_TABLE["8010"].zh_hant.startswith("讀取基本資料失敗")
    assert CODE_TABLE["8011"].zh_hant.startswith("讀取基本資料失敗")


def test_agent_codes_stay_clear_of_the_nhi_component_codes() -> None:
    own = [info.code for info in all_codes() if info.code.startswith("4")]
    assert "4061" not in own  # 4061 無法連接服務網站 belongs to the NHI component


def test_error_body_shape() -> None:
    assert error_body(Code.NO_CARD) == {
        "code": "8013",
        "message": {"zh-Hant": CODE_TABLE["8013"].zh_hant, "en": CODE_TABLE["8013"].en},
    }


def test_card_error_carries_code_status_and_detail() -> None:
    error = CardError(Code.PCSC_UNAVAILABLE, "pyscard is not installed")
    assert error.code == "7001"
    assert error.http_status == 503
    assert error.body()["detail"] == "pyscard is not installed"
    assert "detail" not in CardError(Code.NO_CARD).body()


def test_readme_documents_every_code() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for info in all_codes():
        assert f"| `{info.code}` | {info.http_status} |" in readme, info.code
