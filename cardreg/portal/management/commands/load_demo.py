from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cardreg.portal.demo import DEMO_UNIT_CODE, DEMO_UNIT_NAME
from cardreg.portal.demo_load import load_demo


class Command(BaseCommand):
    help = "Create the demo people, cards, households and employer, and write the agent's wallet."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--wallet", required=True, help="where to write the virtual cards")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CARDREG_DEMO:
            raise CommandError("load_demo runs only with CARDREG_DEMO=true (it makes up people).")
        people = load_demo(Path(options["wallet"]))
        self.stdout.write(
            f"demo data: {len(people)} people with virtual cards; employer {DEMO_UNIT_CODE} "
            f"{DEMO_UNIT_NAME}; wallet {options['wallet']}"
        )
