"""Fixtures for the card agent's tests: cards, wallets, an agent on a thread, a private PC/SC lab.

No Django here: the agent is its own package and its tests must run without the portal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cardagent.pcsclab import VPCD_DRIVER, PcscLab, PrivatePcscd, free_port_pair
from cardagent.readers import VirtualReader
from cardagent.record import CardData
from cardagent.server import AgentServer, make_server
from cardagent.testing import TEST_ORIGIN, AgentClient, make_card_data
from cardagent.virtual import VirtualCard, Wallet, new_virtual_card, save_wallet


def require_tool(name: str) -> None:
    """Skip when ``name`` is missing — but fail under CI=true, where a skip would hide a gap."""
    if _tool_present(name):
        return
    reason = f"{name} is not available: {_INSTALL_HINTS.get(name, 'install it')}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


_INSTALL_HINTS = {
    "pcscd": "apt-get install pcscd",
    "vpcd": "apt-get install vsmartcard-vpcd",
    "unshare": "apt-get install util-linux, and run as root (a private mount namespace)",
    "pyscard": "pip install 'cardagent[pcsc]' (builds with libpcsclite-dev and gcc)",
    "dpkg-deb": "a Debian or Ubuntu machine (package dpkg)",
    "cardagent.deb": "bin/build-agent-deb --origin ORIGIN, then apt-get install "
    "./var/downloads/cardagent_*_all.deb",
}


def _tool_present(name: str) -> bool:
    if name == "pyscard":
        try:
            import smartcard.scard  # noqa: F401
        except ImportError:
            return False
        return True
    if name == "vpcd":
        return VPCD_DRIVER.exists()
    if name == "unshare":
        return shutil.which("unshare") is not None and _can_unshare_mounts()
    if name == "cardagent.deb":
        return _debian_package_installed("cardagent")
    return shutil.which(name) is not None


def _debian_package_installed(package: str) -> bool:
    if shutil.which("dpkg-query") is None:
        return False
    query = ["dpkg-query", "--show", "--showformat=${Status}", package]
    answer = subprocess.run(query, capture_output=True, text=True, check=False)
    return answer.stdout == "install ok installed"


def _can_unshare_mounts() -> bool:
    # A private pcscd needs its own mount namespace: root or CAP_SYS_ADMIN.
    probe = ["unshare", "--mount", "--propagation", "private", "true"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


# --- cards and wallets -----------------------------------------------------------------------


@pytest.fixture
def card_data() -> CardData:
    return make_card_data()


@pytest.fixture
def virtual_card(card_data: CardData) -> VirtualCard:
    return new_virtual_card(card_data)


@pytest.fixture
def nhi_like_card() -> VirtualCard:
    """Like a real NHI card: reads, but has no key and refuses INTERNAL AUTHENTICATE."""
    data = make_card_data(card_number="000033334444", name="范姜峯", national_id="E120001115")
    return VirtualCard(data, None)


@pytest.fixture
def wallet(virtual_card: VirtualCard, nhi_like_card: VirtualCard) -> Wallet:
    second = new_virtual_card(
        make_card_data(
            card_number="000087654321",
            name="林堃喆",
            national_id="B123456780",
            birth_date=date(2011, 1, 1),
        )
    )
    return Wallet([virtual_card, second, nhi_like_card], inserted=virtual_card.card_number)


@pytest.fixture
def wallet_path(tmp_path: Path, wallet: Wallet) -> Path:
    path = tmp_path / "wallet.json"
    save_wallet(path, wallet)
    return path


# --- the agent on a thread ---------------------------------------------------------------------


@pytest.fixture
def serve_agent() -> Iterator[Callable[..., AgentClient]]:
    """Factory: start an agent for a reader on a free port; every one is shut down afterwards."""
    servers: list[AgentServer] = []

    def start(reader: Any, origins: list[str] | None = None) -> AgentClient:
        allowed = origins if origins is not None else [TEST_ORIGIN]
        server = make_server("127.0.0.1", 0, reader, allowed)
        # A short poll interval: shutdown() waits for it, once per test.
        serve = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        serve.start()
        servers.append(server)
        return AgentClient(server.port, allowed)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def agent(serve_agent: Callable[..., AgentClient], wallet_path: Path) -> AgentClient:
    """An agent with the virtual reader; the wallet's first card is inserted."""
    return serve_agent(VirtualReader(wallet_path))


# --- the real PC/SC stack ----------------------------------------------------------------------


def require_pcsc_stack() -> None:
    for tool in ("pcscd", "vpcd", "unshare", "pyscard"):
        require_tool(tool)


@pytest.fixture
def pcsc_lab(tmp_path: Path) -> Iterator[PcscLab]:
    """A fresh private pcscd (it starts in ~10 ms) with vpcd on a free port, no card yet."""
    require_pcsc_stack()
    port = free_port_pair()
    pcscd = PrivatePcscd(tmp_path, vpcd_port=port)
    pcscd.start()
    lab = PcscLab(pcscd, port)
    try:
        yield lab
    finally:
        lab.remove()
        pcscd.stop()


@pytest.fixture
def pcscd_without_readers(tmp_path: Path) -> Iterator[PrivatePcscd]:
    require_pcsc_stack()
    with PrivatePcscd(tmp_path) as pcscd:
        yield pcscd


@pytest.fixture
def pcscd_not_running(tmp_path: Path) -> PrivatePcscd:
    """Never started: its clients find no socket, as when the PC/SC service is down."""
    require_tool("pyscard")
    return PrivatePcscd(tmp_path)
