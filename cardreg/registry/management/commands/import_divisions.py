from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cardreg.registry.csvfile import ImportFileError
from cardreg.registry.division_import import COLUMNS, read_divisions, replace_divisions


class Command(BaseCommand):
    help = (
        f"Replace the list of administrative divisions with the official 村里 CSV "
        f"({','.join(COLUMNS)}; UTF-8 or CP950)."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8 (with or without BOM) or CP950/Big5")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_divisions(Path(options["file"]))
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from None
        except ImportFileError as exc:
            raise CommandError(f"{exc}; nothing was imported") from None
        count = replace_divisions(rows)
        self.stdout.write(f"imported {count} villages")
