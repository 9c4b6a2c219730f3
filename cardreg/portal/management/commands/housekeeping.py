from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cardreg.housekeeping import EVERY, run_housekeeping, schedule


class Command(BaseCommand):
    help = (
        "Run the housekeeping once now (reminders, purges); with --schedule, only make sure the "
        "hourly housekeeping task is scheduled for the background worker."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="only make sure the hourly run is scheduled"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["schedule"]:
            schedule(now + EVERY)  # a chain already on its way stays the only one
            self.stdout.write("housekeeping: the hourly run is scheduled")
            return
        done = run_housekeeping(now)
        self.stdout.write("housekeeping: " + ", ".join(f"{k} {v}" for k, v in done.items()))
