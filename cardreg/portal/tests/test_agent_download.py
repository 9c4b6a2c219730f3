"""The card agent's downloads on 電腦環境檢測 and 系統設定須知, and the files themselves."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from cardreg.portal.downloads import DEB_NAME, SOURCE_NAME

PAGES = ["/environment-check", "/setup-guide"]


@pytest.fixture
def downloads(settings: Any, tmp_path: Path) -> Path:
    settings.CARDREG_AGENT_DOWNLOAD_DIR = tmp_path
    return tmp_path


def put(directory: Path, name: str, content: bytes) -> str:
    (directory / name).write_bytes(content)
    return hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("url", PAGES)
def test_page_links_the_package_with_its_sha256_and_the_steps(
    db: None, downloads: Path, url: str
) -> None:
    deb_sha256 = put(downloads, DEB_NAME, b"\x00" * 2048)
    source_sha256 = put(downloads, SOURCE_NAME, b"\x01" * 1000)
    page = Client().get(url).content.decode()
    assert f'href="/downloads/{DEB_NAME}"' in page
    assert f'<code class="sha256">{deb_sha256}</code>' in page
    assert "2.0\xa0KB" in page
    assert f"sha256sum {DEB_NAME}" in page
    assert f"sudo apt install ./{DEB_NAME}" in page
    assert "systemctl --user start cardagent" in page
    # Windows and macOS: no installer yet, and the page says what exists instead.
    assert "Windows 與 macOS 的安裝程式尚未推出" in page
    assert f'href="/downloads/{SOURCE_NAME}"' in page
    assert f'<code class="sha256">{source_sha256}</code>' in page
    assert f'pipx install "./{SOURCE_NAME}[pcsc]"' in page
    assert "cardagent serve --port 7777 --allow-origin http://testserver" in page


@pytest.mark.parametrize("url", PAGES)
def test_page_says_plainly_when_this_server_built_nothing(
    db: None, downloads: Path, url: str
) -> None:
    page = Client().get(url).content.decode()
    assert "/downloads/" not in page
    assert "本站目前沒有提供 Debian、Ubuntu 的安裝套件，請洽客服專線 0800-030598。" in page
    assert "本站目前沒有提供讀卡程式的 Python 套件" in page
    assert "sudo apt install" not in page


def test_the_pipx_command_uses_the_agent_port_and_the_configured_origin(
    db: None, downloads: Path, settings: Any
) -> None:
    put(downloads, SOURCE_NAME, b"source")
    settings.CARDREG_AGENT_URL = "http://127.0.0.1:7999"
    settings.CARDREG_ORIGIN = "https://portal.example"
    page = Client().get("/setup-guide").content.decode()
    assert "cardagent serve --port 7999 --allow-origin https://portal.example" in page


def test_download_serves_the_files_bytes_as_an_attachment(db: None, downloads: Path) -> None:
    content = os.urandom(5000)
    put(downloads, DEB_NAME, content)
    response = Client().get(f"/downloads/{DEB_NAME}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
    assert response["Content-Length"] == "5000"
    assert response["Content-Disposition"] == f'attachment; filename="{DEB_NAME}"'


def test_only_the_offered_files_are_served(db: None, downloads: Path) -> None:
    (downloads / "notes.txt").write_text("not for download")
    put(downloads, "cardagent_0.0.1_all.deb", b"an older package")
    client = Client()
    for name in ("notes.txt", "cardagent_0.0.1_all.deb", DEB_NAME, "..%2Fsecret_key"):
        assert client.get(f"/downloads/{name}").status_code == 404
    put(downloads, DEB_NAME, b"package")
    assert client.post(f"/downloads/{DEB_NAME}").status_code == 405


def test_a_rebuilt_package_shows_its_new_sha256(db: None, downloads: Path) -> None:
    first = put(downloads, DEB_NAME, b"first build")
    assert first in Client().get("/setup-guide").content.decode()
    second = put(downloads, DEB_NAME, b"second build, other bytes")
    stat = (downloads / DEB_NAME).stat()
    os.utime(downloads / DEB_NAME, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    page = Client().get("/setup-guide").content.decode()
    assert second in page
    assert first not in page


def test_download_section_speaks_english(db: None, downloads: Path) -> None:
    put(downloads, DEB_NAME, b"package")
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/environment-check").content.decode()
    assert "Download the NHI card agent" in page
    assert f"Download {DEB_NAME}" in page
    assert "There is no installer for Windows and macOS yet." in page
    assert "This site does not offer the card agent's Python package" in page
