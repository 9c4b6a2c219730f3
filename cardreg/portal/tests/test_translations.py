"""The English catalogue is complete: no empty or fuzzy entries (繁體中文 is the source)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cardreg.conftest import require_tool

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_english_entry_is_translated() -> None:
    msgfmt = require_tool("msgfmt", "apt-get install gettext")
    result = subprocess.run(
        [msgfmt, "--check-format", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
