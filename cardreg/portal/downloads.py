"""The card agent's downloads (built by bin/build-agent-deb) and what the pages say about them.

The portal offers the agent of its own version (``cardagent.__version__``, the package the portal
itself depends on): the Debian package and the source archive pipx installs on Windows and
macOS. Each file is shown with its size and SHA-256, hashed once per file version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cardagent import __version__ as AGENT_VERSION
from cardagent.server import DEFAULT_PORT
from django.conf import settings
from django.http import HttpRequest

from cardreg.cards.actions import expected_origin

DEB_NAME = f"cardagent_{AGENT_VERSION}_all.deb"
SOURCE_NAME = f"cardagent-{AGENT_VERSION}.tar.gz"


@dataclass(frozen=True)
class Download:
    name: str
    path: Path
    size: int
    sha256: str


def find_download(name: str) -> Download | None:
    """The offered file called ``name`` if this server has it; any other name is not offered."""
    if name not in (DEB_NAME, SOURCE_NAME):
        return None
    path = Path(settings.CARDREG_AGENT_DOWNLOAD_DIR) / name
    try:
        stat = path.stat()
    except OSError:
        return None
    return Download(name, path, stat.st_size, _sha256(path, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _sha256(path: Path, mtime_ns: int, size: int) -> str:
    # mtime and size are part of the key: a rebuilt package is hashed again, an unchanged one never.
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def download_context(request: HttpRequest) -> dict[str, Any]:
    """What 電腦環境檢測 and 系統設定須知 show: the files, and the commands that install them."""
    agent_port = urlsplit(settings.CARDREG_AGENT_URL).port or DEFAULT_PORT
    return {
        "version": AGENT_VERSION,
        "deb": find_download(DEB_NAME),
        "source": find_download(SOURCE_NAME),
        # pipx users start the agent by hand, for this portal and on the port its pages use.
        "serve_command": f"cardagent serve --port {agent_port} --allow-origin "
        + expected_origin(request),
    }
