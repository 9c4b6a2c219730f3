from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cardreg.cards.importing import HEADER, CardFileError, read_rows, save_rows


class Command(BaseCommand):
    help = f"Import issued cards and their holders from a UTF-8 CSV ({','.join(HEADER)})."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8 with or without BOM")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as handle:
                rows = list(read_rows(handle))
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError("the file is not UTF-8; save it as CSV UTF-8") from None
        except CardFileError as exc:
            raise CommandError(f"{exc}; nothing was imported") from None
        count = save_rows(rows)
        self.stdout.write(f"imported {count} cards")
