"""A private pcscd for tests and benchmarks: the real PC/SC stack, clashing with nothing.

pcscd 1.9.9 always serves ``/run/pcscd/pcscd.comm`` (only libpcsclite, the client side, honours
``PCSCLITE_CSOCK_NAME``). So the daemon runs in its own mount namespace, where a private
directory is bind-mounted over ``/run/pcscd``; clients reach it at ``<dir>/pcscd.comm`` through
``PCSCLITE_CSOCK_NAME``. Its reader.conf puts vpcd on a free port pair, not on 35963/35964.
libpcsclite reads that variable once per process, so PC/SC clients of a lab run as subprocesses
(:meth:`PrivatePcscd.env`). Needs root (or CAP_SYS_ADMIN), ``unshare`` (util-linux),
``pcscd`` and ``vsmartcard-vpcd``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from cardagent.emulator import VpcdEmulator
from cardagent.virtual import VirtualCard

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
VPCD_READER = "Virtual PCD 00 00"  # FRIENDLYNAME + slot 00: the reader on the first port

# In the new mount namespace: hide the host's /run (it may have no /run/pcscd to mount on, and
# must not see ours), then put the private directory where pcscd insists on its socket.
_NAMESPACE_SCRIPT = (
    "mount -t tmpfs -o mode=0755 tmpfs /run && mkdir /run/pcscd && "
    'mount --bind "$1" /run/pcscd && exec "$2" --foreground -c "$3"'
)


def missing_tools() -> list[str]:
    """What this machine lacks to run a private pcscd with vpcd (empty: all there)."""
    missing = [tool for tool in ("pcscd", "unshare") if shutil.which(tool) is None]
    if not VPCD_DRIVER.exists():
        missing.append(f"vsmartcard-vpcd ({VPCD_DRIVER})")
    return missing


def free_port_pair(host: str = "0.0.0.0") -> int:  # noqa: S104 (vpcd itself binds all addresses)
    """A port P with P and P+1 free: vpcd listens on one port per slot (two slots)."""
    for _ in range(50):
        with socket.socket() as first, socket.socket() as second:
            first.bind((host, 0))
            port = int(first.getsockname()[1])
            try:
                second.bind((host, port + 1))
            except OSError:
                continue
            return port
    raise OSError("no free pair of TCP ports")


def vpcd_reader_conf(port: int) -> str:
    return (
        'FRIENDLYNAME "Virtual PCD"\n'
        f"DEVICENAME   /dev/null:0x{port:X}\n"
        f"LIBPATH      {VPCD_DRIVER}\n"
        f"CHANNELID    0x{port:X}\n"
    )


class PrivatePcscd:
    """``with PrivatePcscd(tmp_dir, vpcd_port=port) as pcscd:`` — ``vpcd_port=None``: no reader."""

    def __init__(self, workdir: Path, vpcd_port: int | None = None) -> None:
        self.workdir = workdir
        self.vpcd_port = vpcd_port
        self.run_dir = workdir / "run"
        self.conf_dir = workdir / "reader.conf.d"
        self.log_path = workdir / "pcscd.log"
        self.socket_path = self.run_dir / "pcscd.comm"
        self._process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        """Environment for a PC/SC client process of this pcscd."""
        return {**os.environ, "PCSCLITE_CSOCK_NAME": str(self.socket_path)}

    def start(self, timeout: float = 10.0) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        if self.vpcd_port is not None:
            (self.conf_dir / "vpcd").write_text(vpcd_reader_conf(self.vpcd_port))
        command = ["unshare", "--mount", "--propagation", "private", "sh", "-c"]
        command += [_NAMESPACE_SCRIPT, "sh", str(self.run_dir), _which("pcscd"), str(self.conf_dir)]
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(  # noqa: S603 (fixed argv, no shell input)
                command, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        # pcscd loads reader.conf before it creates its socket: a socket that accepts means
        # the readers are there too.
        deadline = time.monotonic() + timeout
        while not self._accepts():
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"pcscd exited at start: {self.log_path.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("pcscd did not open its socket")
            time.sleep(0.01)

    def _accepts(self) -> bool:
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(str(self.socket_path))
            except OSError:
                return False
        return True

    def stop(self) -> None:
        """SIGTERM (pcscd cleans up), then SIGKILL if it hangs; the namespace goes with it."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> PrivatePcscd:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _which(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise FileNotFoundError(f"{tool} is not installed")
    return path


REMOVAL_SETTLE_SECONDS = 0.5  # pcscd may miss a card inserted sooner after a removal


@dataclass
class PcscLab:
    """A private pcscd with vpcd on a free port; cards are inserted by an in-process emulator."""

    pcscd: PrivatePcscd
    port: int
    emulator: VpcdEmulator | None = None
    removed_at: float = 0.0

    def insert(self, card: VirtualCard) -> VpcdEmulator:
        self.remove()
        time.sleep(max(0.0, self.removed_at + REMOVAL_SETTLE_SECONDS - time.monotonic()))
        self.emulator = VpcdEmulator(card, "127.0.0.1", self.port)
        self.emulator.start()
        if not self.emulator.powered.wait(5.0):
            raise TimeoutError("pcscd did not power the emulated card")
        return self.emulator

    def remove(self) -> None:
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator = None
            self.removed_at = time.monotonic()

    def cardagent(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cardagent(self.pcscd, *args)


def run_cardagent(pcscd: PrivatePcscd, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``cardagent`` as a PC/SC client of ``pcscd`` (in its own process: see module doc)."""
    command = [sys.executable, "-m", "cardagent", *args]
    return subprocess.run(  # noqa: S603 (our own interpreter and module)
        command, env=pcscd.env(), capture_output=True, text=True, timeout=30, check=False
    )


@dataclass
class AgentProcess:
    """``cardagent serve`` as a PC/SC client of a private pcscd, on a free port."""

    process: subprocess.Popen[str]
    port: int

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5.0)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_agent(pcscd: PrivatePcscd, *serve_args: str) -> AgentProcess:
    """Start the agent in pcsc mode; it prints its URL first, so no port race and no sleep."""
    command = [sys.executable, "-m", "cardagent", "serve", "--reader", "pcsc", "--port", "0"]
    return start_agent_command(pcscd, [*command, *serve_args], pcscd.env())


def start_agent_command(
    pcscd: PrivatePcscd, command: list[str], env: dict[str, str]
) -> AgentProcess:
    """Start any ``cardagent serve ... --port 0`` command line (an installed one too)."""
    with (pcscd.workdir / "agent.log").open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 (the caller's fixed argv)
            command, env=env, stdout=subprocess.PIPE, stderr=log, text=True
        )
    first_line = process.stdout.readline() if process.stdout is not None else ""
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", first_line)
    if match is None:
        AgentProcess(process, 0).stop()
        raise RuntimeError("cardagent serve did not start; see agent.log")
    return AgentProcess(process, int(match.group(1)))
