"""The Debian package of the agent (bin/build-agent-deb): what it holds, and the installed agent.

The installed tests run the package as Debian installs it: /usr/bin/cardagent on Debian's
python3 with python3-pyscard and python3-cryptography (not this virtualenv), started with the
command line of its systemd user service, reading and signing through a private pcscd. CI builds
and installs the package first (.ci/run); elsewhere they skip unless it is installed.
"""

from __future__ import annotations

import base64
import os
import shlex
import subprocess
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cardagent import __version__
from cardagent.pcsclab import VPCD_READER, AgentProcess, PcscLab, PrivatePcscd, start_agent_command
from cardagent.proof import proof_message, verify_signature
from cardagent.server import card_json
from cardagent.testing import AgentClient
from cardagent.virtual import VirtualCard
from conftest import require_tool

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "bin" / "build-agent-deb"
PORTAL = "https://portal.example"
DEB = f"cardagent_{__version__}_all.deb"
SDIST = f"cardagent-{__version__}.tar.gz"
UNIT = "usr/lib/systemd/user/cardagent.service"
CONF = "etc/cardagent/cardagent.conf"
MODULES = "usr/lib/python3/dist-packages/cardagent"


def build(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    require_tool("dpkg-deb")
    command = [str(BUILD), "--out", str(out), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The download directory after one build for two portal origins."""
    out = tmp_path_factory.mktemp("downloads")
    result = build(out, "--origin", PORTAL, "--origin", "http://localhost:8000")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out / DEB), str(out / SDIST)]
    return out


@pytest.fixture(scope="module")
def unpacked(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "--extract", str(built / DEB), str(root)], check=True)
    return root


def deb_field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_package_is_named_and_versioned_from_the_agent(built: Path) -> None:
    deb = built / DEB
    assert deb_field(deb, "Package") == "cardagent"
    assert deb_field(deb, "Version") == __version__
    assert deb_field(deb, "Architecture") == "all"


def test_package_depends_on_debians_pyscard_cryptography_and_pcscd(built: Path) -> None:
    depends = [d.strip().split()[0] for d in deb_field(built / DEB, "Depends").split(",")]
    assert {"python3", "python3-pyscard", "python3-cryptography", "pcscd"} <= set(depends)


def test_package_holds_the_command_the_user_service_and_its_conffile(built: Path) -> None:
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(built / DEB)], capture_output=True, text=True, check=True
    ).stdout
    paths = {line.split()[-1].removeprefix(".") for line in listing.splitlines()}
    for path in ("/usr/bin/cardagent", f"/{UNIT}", f"/{CONF}", f"/{MODULES}/cli.py"):
        assert path in paths
    assert all(" root/root " in line for line in listing.splitlines())
    control = subprocess.run(
        ["dpkg-deb", "--info", str(built / DEB), "conffiles"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert control.split() == [f"/{CONF}"]


def test_package_modules_are_the_repository_agent(unpacked: Path) -> None:
    source = REPO / "agent" / "cardagent"
    shipped = {p.name for p in (unpacked / MODULES).iterdir()}
    assert shipped == {*(p.name for p in source.glob("*.py")), "py.typed"}
    for name in shipped:
        assert (unpacked / MODULES / name).read_bytes() == (source / name).read_bytes()
    launcher = (unpacked / "usr/bin/cardagent").read_text()
    assert launcher.startswith("#!/usr/bin/python3\n")  # Debian's python3, never a virtualenv
    assert os.access(unpacked / "usr/bin/cardagent", os.X_OK)


def test_user_service_starts_at_login_in_pcsc_mode_for_the_built_origins(unpacked: Path) -> None:
    unit = (unpacked / UNIT).read_text()
    assert "WantedBy=default.target" in unit
    command = service_command(unpacked, port="7777")
    assert command[:2] == ["/usr/bin/cardagent", "serve"]
    assert option_values(command, "--reader") == ["pcsc"]
    assert option_values(command, "--host") == ["127.0.0.1"]
    assert option_values(command, "--port") == ["7777"]
    assert option_values(command, "--allow-origin") == [PORTAL, "http://localhost:8000"]


def test_source_archive_is_the_agent_for_pipx(built: Path) -> None:
    with tarfile.open(built / SDIST) as archive:
        names = set(archive.getnames())
        member = archive.extractfile(f"cardagent-{__version__}/PKG-INFO")
        assert member is not None
        metadata = member.read().decode()
    assert f"cardagent-{__version__}/cardagent/cli.py" in names
    assert not any("/tests/" in name for name in names)
    assert f"Version: {__version__}\n" in metadata
    assert "Provides-Extra: pcsc" in metadata


@pytest.mark.parametrize(
    "origin", ["*", "https://portal.example/", "portal.example", "https://*.example", "ftp://x"]
)
def test_build_refuses_an_origin_the_agent_would_refuse(tmp_path: Path, origin: str) -> None:
    result = build(tmp_path, "--origin", origin)
    assert result.returncode == 2
    assert "https://host[:port]" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_build_needs_the_portal_origin(tmp_path: Path) -> None:
    result = build(tmp_path)
    assert result.returncode == 2
    assert "--origin" in result.stderr


# --- the package installed on this machine ---------------------------------------------------


def service_command(root: Path, port: str) -> list[str]:
    """The user service's ExecStart as systemd expands it, with the port replaced."""
    unit = (root / UNIT).read_text()
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    variables = {**conffile(root / CONF), "CARDAGENT_PORT": port}
    command: list[str] = []
    for word in shlex.split(exec_start.removeprefix("ExecStart=")):
        if word.startswith("$") and not word.startswith("${"):
            command += variables[word[1:]].split()  # systemd: $NAME splits into words
        else:
            for name, value in variables.items():
                word = word.replace("${" + name + "}", value)  # ${NAME} stays one word
            command.append(word)
    return command


def conffile(path: Path) -> dict[str, str]:
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return {key: value.strip('"') for key, value in (line.split("=", 1) for line in lines)}


def option_values(command: list[str], option: str) -> list[str]:
    start = command.index(option) + 1
    values = []
    for word in command[start:]:
        if word.startswith("--"):
            break
        values.append(word)
    return values


def debian_env(pcscd: PrivatePcscd) -> dict[str, str]:
    # Nothing of this test's Python may leak into Debian's python3.
    return {k: v for k, v in pcscd.env().items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}


@contextmanager
def installed_agent(pcscd: PrivatePcscd) -> Iterator[tuple[AgentClient, str]]:
    """The installed agent, started as its user service starts it, on a free port."""
    require_tool("cardagent.deb")
    command = service_command(Path("/"), port="0")
    origin = option_values(command, "--allow-origin")[0]
    agent: AgentProcess = start_agent_command(pcscd, command, debian_env(pcscd))
    try:
        yield AgentClient(agent.port, [origin]), origin
    finally:
        agent.stop()


def test_installed_package_is_this_agent_on_debians_python_and_libraries() -> None:
    require_tool("cardagent.deb")
    query = ["dpkg-query", "--show", "--showformat=${Version}", "cardagent"]
    assert subprocess.run(query, capture_output=True, text=True, check=True).stdout == __version__
    probe = "import cardagent, cryptography, smartcard; print(cardagent.__file__, " + (
        "cryptography.__file__, smartcard.__file__)"
    )
    found = subprocess.run(
        ["/usr/bin/python3", "-I", "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert len(found) == 3
    assert all(path.startswith("/usr/lib/python3/dist-packages/") for path in found)


def test_installed_agent_answers_status_when_pcscd_is_down(
    pcscd_not_running: PrivatePcscd,
) -> None:
    with installed_agent(pcscd_not_running) as (client, origin):
        answer = client.get("/v1/status", origin=origin)
    assert answer.status == 200
    assert answer.header("Access-Control-Allow-Origin") == origin
    assert answer.body["agent"] == "cardagent"
    assert answer.body["version"] == __version__
    assert answer.body["reader_mode"] == "pcsc"
    assert answer.body["error"]["code"] == "7001"


def test_installed_agent_reads_and_signs_through_pcscd(
    pcsc_lab: PcscLab, virtual_card: VirtualCard
) -> None:
    pcsc_lab.insert(virtual_card)
    challenge = "installed-Agent_challenge-0123456789"
    with installed_agent(pcsc_lab.pcscd) as (client, origin):
        deadline = time.monotonic() + 5
        while not (status := client.get("/v1/status", origin=origin).body)["card_present"]:
            assert time.monotonic() < deadline, f"the installed agent never saw the card: {status}"
            time.sleep(0.02)
        card = client.get("/v1/card", origin=origin)
        signed = client.post("/v1/sign", {"challenge": challenge, "origin": origin}, origin=origin)
    assert status["version"] == __version__
    assert status["reader_mode"] == "pcsc"
    assert VPCD_READER in status["readers"]
    assert card.body == card_json(virtual_card.data)
    assert signed.status == 200
    assert virtual_card.private_key is not None
    public = virtual_card.private_key.public_key()
    signature = base64.b64decode(signed.body["signature"])
    assert verify_signature(public, proof_message(origin, challenge), signature)
