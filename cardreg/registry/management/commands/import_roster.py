from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cardreg.registry.csvfile import ImportFileError
from cardreg.registry.roster_import import COLUMNS, import_roster


class Command(BaseCommand):
    help = (
        f"Load the insured roster (在保資料) from a CSV ({','.join(COLUMNS)}; ISO dates, empty "
        f"insured_until = still insured; UTF-8 or CP950). For every unit in the file, its rows "
        f"replace all the rows it had; other units keep theirs. All or nothing: the first bad "
        f"row is reported with its line and column and nothing changes. Streams the file, so "
        f"millions of rows run in bounded memory."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8 (with or without BOM) or CP950/Big5")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_roster(Path(options["file"]))
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from None
        except ImportFileError as exc:
            raise CommandError(f"{exc}; nothing was imported") from None
        self.stdout.write(
            f"imported {result.imported} roster rows for {result.units} units "
            f"({result.encoding}), replacing {result.replaced} rows"
        )
