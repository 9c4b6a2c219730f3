"""``manage.py create_unit CODE NAME --admin NATIONAL_ID``: the operator provisions a unit."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cardreg.employers.actions import Refused, provision_unit
from cardreg.employers.models import UNIT_CODE_LENGTH, UNIT_NAME_MAX_LENGTH, is_unit_code
from cardreg.lib.masking import mask_national_id


def unit_code(value: str) -> str:
    """A 投保單位代號 as given on the command line: exactly 9 digits, or CommandError."""
    if not is_unit_code(value):
        raise CommandError(f"the unit code must be {UNIT_CODE_LENGTH} digits, e.g. 133397421")
    return value


class Command(BaseCommand):
    help = (
        "Create an insurance unit (投保單位) with its administrator (投保單位管理者), or bring an "
        "existing one up to date: running it again with the same code sets the name and the "
        "administrator given (the administrator replaced loses every right in the unit, and "
        "his API tokens unless a role gives him the upload right). The administrator is "
        "recorded by national ID and need not have registered yet. Exit code 1 and nothing "
        "changed on a bad code, name or ID."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("code", help="投保單位代號, 9 digits, e.g. 133397421")
        parser.add_argument("name", help=f"unit name, at most {UNIT_NAME_MAX_LENGTH} characters")
        parser.add_argument(
            "--admin",
            required=True,
            metavar="NATIONAL_ID",
            help="national ID (or resident certificate number) of the unit administrator",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code, name = unit_code(options["code"]), options["name"].strip()
        if not 1 <= len(name) <= UNIT_NAME_MAX_LENGTH:
            raise CommandError(f"the unit name must be 1 to {UNIT_NAME_MAX_LENGTH} characters")
        try:
            result = provision_unit(code=code, name=name, administrator_id=options["admin"])
        except Refused as refused:
            raise CommandError(f"--admin: invalid national ID ({refused.id_problem})") from None
        admin = mask_national_id(options["admin"])
        done = "created" if result.created else "updated"
        self.stdout.write(f"{done} unit {code} {name}, administrator {admin}")
