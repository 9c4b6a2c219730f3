"""`manage.py issue_api_token --unit CODE --user NATIONAL_ID`: prints only the token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cardreg.employers.access import authenticate_api_token
from cardreg.employers.models import ApiToken, InsuranceUnit
from cardreg.employers.tests.conftest import ADMIN_ID, CLERK_ID, OTHER_ID, make_grant

ROOT = Path(__file__).resolve().parents[3]
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def issue(unit: str, user: str) -> str:
    out = StringIO()
    call_command("issue_api_token", "--unit", unit, "--user", user, stdout=out)
    return out.getvalue()


def test_the_administrator_gets_a_token_before_registering(unit: InsuranceUnit) -> None:
    out = issue(unit.code, ADMIN_ID)
    assert TOKEN.fullmatch(out.rstrip("\n"))
    token = authenticate_api_token(out.strip())
    assert token is not None
    assert (token.unit, token.national_id) == (unit, ADMIN_ID)


def test_a_clerk_with_the_upload_right_gets_a_token(unit: InsuranceUnit) -> None:
    make_grant(unit, CLERK_ID, can_upload=True, can_query=False)
    assert TOKEN.fullmatch(issue(unit.code, CLERK_ID).rstrip("\n"))


@pytest.mark.usefixtures("other_unit")
@pytest.mark.parametrize(
    ("unit_code", "user", "upload", "expected"),
    [
        ("133397421", CLERK_ID, False, "B12000**** holds no upload right (健保卡註冊上傳) in unit"),
        ("133397421", CLERK_ID, None, "B12000**** holds no upload right"),
        ("133397421", OTHER_ID, None, "A80000**** holds no upload right"),
        ("133397421", "A123456788", None, "--user: invalid national ID (checksum)"),
        ("999999999", ADMIN_ID, None, "no unit 999999999; create it first with create_unit"),
        ("13339742", ADMIN_ID, None, "the unit code must be 9 digits"),
    ],
)
def test_anybody_else_is_refused(
    unit: InsuranceUnit, unit_code: str, user: str, upload: bool | None, expected: str
) -> None:
    if upload is not None:
        make_grant(unit, user, can_upload=upload, can_query=True)
    with pytest.raises(CommandError) as caught:
        issue(unit_code, user)
    assert expected in str(caught.value)
    assert not ApiToken.objects.exists()


def test_the_real_command_prints_only_the_token_or_fails_with_exit_code_1(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "test-only",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cardreg.sqlite3'}",
        "CARDREG_VAR_DIR": str(tmp_path),
    }
    env.pop("PYTEST_VERSION", None)

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(ROOT / "manage.py"), *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)

    assert manage("migrate", "--skip-checks").returncode == 0
    assert manage("create_unit", "133397421", "甲公司", "--admin", ADMIN_ID).returncode == 0

    done = manage("issue_api_token", "--unit", "133397421", "--user", ADMIN_ID)
    assert (done.returncode, done.stderr) == (0, "")
    assert TOKEN.fullmatch(done.stdout.rstrip("\n"))
    assert done.stdout.count("\n") == 1

    refused = manage("issue_api_token", "--unit", "133397421", "--user", CLERK_ID)
    assert (refused.returncode, refused.stdout) == (1, "")
    assert "B12000**** holds no upload right" in refused.stderr
    assert CLERK_ID not in refused.stderr
