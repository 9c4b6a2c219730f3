"""Through the real PC/SC stack: pcscd + vsmartcard-vpcd + our emulator, all private to the test.

Each test gets its own pcscd (own socket, own vpcd port, see ``cardagent.pcsclab``). The agent
runs as a subprocess because libpcsclite fixes its socket path once per process.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

from cardagent.pcsclab import VPCD_READER, AgentProcess, PcscLab, PrivatePcscd, run_cardagent
from cardagent.pcsclab import start_agent as start_agent_process
from cardagent.proof import proof_message, verify_signature
from cardagent.server import card_json
from cardagent.testing import TEST_ORIGIN, AgentClient
from cardagent.virtual import VirtualCard

CHALLENGE = "pcsc-Stack_challenge-0123456789"


def read_json(lab_or_pcscd: PcscLab | PrivatePcscd, *args: str) -> tuple[int, dict[str, str]]:
    pcscd = lab_or_pcscd.pcscd if isinstance(lab_or_pcscd, PcscLab) else lab_or_pcscd
    result = run_cardagent(pcscd, "read", "--reader", "pcsc", *args)
    return result.returncode, json.loads(result.stdout)


@contextmanager
def running_agent(pcscd: PrivatePcscd) -> Iterator[AgentClient]:
    agent: AgentProcess = start_agent_process(pcscd, "--allow-origin", TEST_ORIGIN)
    try:
        yield AgentClient(agent.port, [TEST_ORIGIN])
    finally:
        agent.stop()


def wait_until_card_present(client: AgentClient, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not client.get("/v1/status").body["card_present"]:
        assert time.monotonic() < deadline, "pcscd never reported the card"
        time.sleep(0.02)


def test_read_a_card_through_pcscd(pcsc_lab: PcscLab, virtual_card: VirtualCard) -> None:
    pcsc_lab.insert(virtual_card)
    status, body = read_json(pcsc_lab, "--wait", "5")
    assert status == 0
    assert body == card_json(virtual_card.data)


def test_agent_in_pcsc_mode_reads_and_signs(pcsc_lab: PcscLab, virtual_card: VirtualCard) -> None:
    pcsc_lab.insert(virtual_card)
    with running_agent(pcsc_lab.pcscd) as client:
        wait_until_card_present(client)
        status = client.get("/v1/status").body
        assert status["reader_mode"] == "pcsc"
        assert VPCD_READER in status["readers"]
        assert client.get("/v1/card").body == card_json(virtual_card.data)
        signed = client.post("/v1/sign", {"challenge": CHALLENGE, "origin": TEST_ORIGIN})
    assert signed.status == 200
    assert signed.body["card_number"] == virtual_card.card_number
    signature = base64.b64decode(signed.body["signature"])
    assert virtual_card.private_key is not None
    public = virtual_card.private_key.public_key()
    assert verify_signature(public, proof_message(TEST_ORIGIN, CHALLENGE), signature)


def test_nhi_like_card_reads_but_cannot_sign(pcsc_lab: PcscLab, nhi_like_card: VirtualCard) -> None:
    pcsc_lab.insert(nhi_like_card)
    with running_agent(pcsc_lab.pcscd) as client:
        wait_until_card_present(client)
        assert client.get("/v1/card").status == 200
        signed = client.post("/v1/sign", {"challenge": CHALLENGE, "origin": TEST_ORIGIN})
    assert signed.body["code"] == "8302"


def test_reader_without_card_is_8013(pcsc_lab: PcscLab) -> None:
    status, body = read_json(pcsc_lab)
    assert status == 1
    assert body["code"] == "8013"


def test_named_reader_is_used(pcsc_lab: PcscLab, virtual_card: VirtualCard) -> None:
    pcsc_lab.insert(virtual_card)
    assert read_json(pcsc_lab, "--wait", "5", "--reader-name", VPCD_READER)[0] == 0
    empty_slot = VPCD_READER.replace("00 00", "00 01")
    assert read_json(pcsc_lab, "--reader-name", empty_slot)[1]["code"] == "8013"
    assert read_json(pcsc_lab, "--reader-name", "No Such Reader")[1]["code"] == "7002"


def test_card_pulled_mid_read_is_8001_and_the_next_card_reads(
    pcsc_lab: PcscLab, virtual_card: VirtualCard
) -> None:
    emulator = pcsc_lab.insert(virtual_card)
    emulator.pull_card_after(1)  # SELECT is answered, READ BASIC DATA is not
    status, body = read_json(pcsc_lab, "--wait", "5")
    assert status == 1
    assert body["code"] == "8001"
    assert emulator.removed.is_set()

    pcsc_lab.insert(virtual_card)
    assert read_json(pcsc_lab, "--wait", "5")[0] == 0


def test_pcscd_without_readers_is_7002(pcscd_without_readers: PrivatePcscd) -> None:
    status, body = read_json(pcscd_without_readers)
    assert status == 1
    assert body["code"] == "7002"
    with running_agent(pcscd_without_readers) as client:
        answer = client.get("/v1/status")
    assert answer.body["readers"] == []
    assert answer.body["error"]["code"] == "7002"


def test_pcscd_not_running_is_7001(pcscd_not_running: PrivatePcscd) -> None:
    status, body = read_json(pcscd_not_running)
    assert status == 1
    assert body["code"] == "7001"
    with running_agent(pcscd_not_running) as client:
        status_answer = client.get("/v1/status")
        card_answer = client.get("/v1/card")
    assert status_answer.status == 200
    assert status_answer.body["error"]["code"] == "7001"
    assert card_answer.status == 503
    assert card_answer.body["code"] == "7001"
