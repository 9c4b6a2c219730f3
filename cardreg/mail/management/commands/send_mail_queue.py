from __future__ import annotations

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from cardreg.mail.tasks import run_sweep


class Command(BaseCommand):
    help = (
        "Send the due mails of the outbox now (also those a killed worker left half-sent), "
        "and make sure the worker has a sweep scheduled. With --loop, keep doing it."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--loop", action="store_true", help="repeat until interrupted")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="seconds between sweeps with --loop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            result = run_sweep()
            if result.handled or not options["loop"]:
                self.stdout.write(
                    f"sent {result.sent}, to retry {result.retrying}, failed {result.failed}"
                )
            if not options["loop"]:
                return
            if not result.more_due:
                time.sleep(options["interval"])
            close_old_connections()
