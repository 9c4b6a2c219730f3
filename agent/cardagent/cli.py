"""``cardagent`` command line: serve the HTTP API, read a card, emulate a card behind vpcd."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from cardagent import __version__
from cardagent.card import read_basic_data
from cardagent.codes import CardError
from cardagent.emulator import DEFAULT_VPCD_HOST, DEFAULT_VPCD_PORT, VpcdEmulator
from cardagent.readers import PcscReader, Reader, VirtualReader
from cardagent.server import DEFAULT_ALLOWED_ORIGINS, DEFAULT_PORT, card_json, make_server
from cardagent.slotpage import mask_card_number
from cardagent.virtual import demo_wallet, load_wallet, save_wallet

EXIT_CARD_ERROR = 1
EXIT_USAGE = 2
EXIT_PORT_TAKEN = 3
_POLL_SECONDS = 0.05


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cardagent", description="健保卡讀卡程式 NHI card agent")
    parser.add_argument("--version", action="version", version=f"cardagent {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the HTTP API on 127.0.0.1")
    serve.add_argument("--host", default="127.0.0.1", help="loopback address only")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    serve.add_argument(
        "--allow-origin",
        action="extend",
        nargs="+",
        metavar="ORIGIN",
        help="exact origin allowed to use the agent (repeatable; default: "
        + ", ".join(DEFAULT_ALLOWED_ORIGINS)
        + ")",
    )
    _add_reader_arguments(serve)

    read = commands.add_parser("read", help="read the card once and print its basic data")
    _add_reader_arguments(read)
    read.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="wait for a card")

    emulate = commands.add_parser("emulate", help="insert a wallet card into vpcd (PC/SC)")
    emulate.add_argument("--wallet", required=True, type=Path)
    emulate.add_argument("--card", required=True, metavar="CARD_NUMBER")
    emulate.add_argument("--vpcd-host", default=DEFAULT_VPCD_HOST)
    emulate.add_argument("--vpcd-port", type=int, default=DEFAULT_VPCD_PORT)
    emulate.add_argument("--wait", type=float, default=30.0, metavar="SECONDS", help="for vpcd")

    demo = commands.add_parser("demo-wallet", help="write a wallet of made-up demo cards")
    demo.add_argument("path", type=Path)
    demo.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def _add_reader_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reader", choices=("pcsc", "virtual"), help="default: virtual with --wallet, else pcsc"
    )
    parser.add_argument("--wallet", type=Path, help="wallet file of the virtual reader")
    parser.add_argument("--reader-name", help="PC/SC reader to use (default: first with a card)")


def make_reader(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Reader:
    mode = args.reader or ("virtual" if args.wallet else "pcsc")
    if mode == "virtual":
        if args.wallet is None:
            parser.error("--reader virtual needs --wallet PATH")
        return VirtualReader(args.wallet)
    return PcscReader(args.reader_name)


def serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    reader = make_reader(args, parser)
    origins = args.allow_origin or list(DEFAULT_ALLOWED_ORIGINS)
    try:
        server = make_server(args.host, args.port, reader, origins)
    except ValueError as error:
        parser.error(str(error))
    except OSError as error:
        # Most often a second agent (another login session, or the service already running):
        # say so in words, not with a traceback.
        print(
            f"cardagent: 無法使用 {args.host} 的連接埠 {args.port}，可能已有另一個讀卡程式在執行。"
            f"請先關閉它，或以 --port 指定其他連接埠。\n"
            f"cardagent: cannot listen on {args.host} port {args.port} ({error.strerror}): another"
            " card agent is probably running. Stop it, or choose another port with --port.",
            file=sys.stderr,
        )
        return EXIT_PORT_TAKEN
    url = f"http://127.0.0.1:{server.port}/"
    print(f"cardagent {__version__} listening on {url} (reader: {reader.mode})", flush=True)
    if reader.mode == "virtual":
        print(f"card slot page: {url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def read(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    reader = make_reader(args, parser)
    _wait_for_card(reader, args.wait)
    try:
        with reader.session() as transmit:
            data = read_basic_data(transmit)
    except CardError as error:
        print(json.dumps(error.body(), ensure_ascii=False), flush=True)
        return EXIT_CARD_ERROR
    print(json.dumps(card_json(data), ensure_ascii=False), flush=True)
    return 0


def _wait_for_card(reader: Reader, seconds: float) -> None:
    # Polling is fine here: a person is inserting a card; the read itself never waits.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if reader.card_present():
                return
        except CardError:
            pass  # the reader may still be appearing; the read below reports what is wrong
        time.sleep(_POLL_SECONDS)


def emulate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        card = load_wallet(args.wallet).find(args.card)
    except CardError as error:
        parser.error(f"{args.wallet}: {error.detail}")
    if card is None:
        parser.error(f"card {args.card} is not in {args.wallet}")
    emulator = VpcdEmulator(card, args.vpcd_host, args.vpcd_port)
    try:
        emulator.connect(timeout=args.wait)
    except OSError as error:
        print(f"cannot reach vpcd at {args.vpcd_host}:{args.vpcd_port}: {error}", file=sys.stderr)
        return EXIT_CARD_ERROR
    print(f"card {mask_card_number(card.card_number)} inserted; Ctrl-C removes it", flush=True)
    try:
        emulator.run()
    except KeyboardInterrupt:
        emulator.stop()
    print("card removed", flush=True)
    return 0


def demo(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.path.exists() and not args.force:
        parser.error(f"{args.path} exists (use --force to overwrite)")
    save_wallet(args.path, demo_wallet())
    print(f"wrote demo wallet {args.path} (made-up people, unencrypted demo keys)")
    return 0


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Turn `kill` into the same clean shutdown as Ctrl-C (sockets and PC/SC contexts closed).
    raise KeyboardInterrupt


COMMANDS = {"serve": serve, "read": read, "emulate": emulate, "demo-wallet": demo}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    return COMMANDS[args.command](args, parser)


if __name__ == "__main__":
    sys.exit(main())
