"""``manage.py issue_api_token --unit CODE --user NATIONAL_ID``: a token for an HR system."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cardreg.employers.actions import Refusal, Refused, issue_api_token
from cardreg.employers.management.commands.create_unit import unit_code
from cardreg.employers.models import InsuranceUnit
from cardreg.lib.masking import mask_national_id


class Command(BaseCommand):
    help = (
        "Issue an API token acting for a person in an insurance unit and print only the token "
        "(shown once; only its SHA-256 is stored). The person must hold the upload right "
        "(健保卡註冊上傳) in the unit: its administrator, whether or not he has registered or "
        "logged in yet, or a clerk with a role holding that right. Anybody else is refused on "
        "stderr with exit code 1. Each API request checks the person's rights again."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--unit", required=True, metavar="CODE", help="投保單位代號, 9 digits")
        parser.add_argument(
            "--user", required=True, metavar="NATIONAL_ID", help="national ID the token acts for"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code, national_id = unit_code(options["unit"]), options["user"]
        unit = InsuranceUnit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"no unit {code}; create it first with create_unit")
        try:
            issued = issue_api_token(unit, national_id, by=None)
        except Refused as refused:
            if refused.refusal is Refusal.INVALID_ID:
                raise CommandError(f"--user: invalid national ID ({refused.id_problem})") from None
            raise CommandError(
                f"{mask_national_id(national_id)} holds no upload right (健保卡註冊上傳) in unit "
                f"{code}: only its administrator or a clerk with a role holding that right may "
                f"have a token; nothing issued"
            ) from None
        self.stdout.write(issued.token)
