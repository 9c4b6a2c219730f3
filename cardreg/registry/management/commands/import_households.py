from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cardreg.registry.csvfile import ImportFileError
from cardreg.registry.household_import import COLUMNS, import_households


class Command(BaseCommand):
    help = (
        f"Add or update people of the local household register from a CSV "
        f"({','.join(COLUMNS)}; UTF-8 or CP950)."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8 (with or without BOM) or CP950/Big5")
        parser.add_argument(
            "--replace", action="store_true", help="also remove the people missing from the file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_households(Path(options["file"]), replace=options["replace"])
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from None
        except ImportFileError as exc:
            raise CommandError(f"{exc}; nothing was imported") from None
        removed = f", removed {result.removed}" if options["replace"] else ""
        self.stdout.write(f"imported {result.imported} people ({result.encoding}){removed}")
