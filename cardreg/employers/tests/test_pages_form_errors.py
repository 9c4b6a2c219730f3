"""The employer pages show form errors like every other form page: a summary linking to the
field, the field marked invalid and described by its own message."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cardreg.employers.models import InsuranceUnit
from cardreg.employers.tests.pages import Cast, employer_login, make_cast
from cardreg.portal.testing import input_tag, summary_links

UNIT = "/employer/133397421"


@pytest.fixture
def cast(unit: InsuranceUnit, other_unit: InsuranceUnit) -> Cast:
    return make_cast(unit, other_unit)


def test_a_role_without_rights_links_to_the_first_right(cast: Cast) -> None:
    client = employer_login(cast.admin)
    page = client.post(f"{UNIT}/roles/new", {"name": "人事"}).content.decode()
    assert summary_links(page) == [
        ("id_can_upload", "請至少勾選一項權限：健保卡註冊上傳、健保卡註冊查詢。")
    ]
    for right in ("id_can_upload", "id_can_query"):
        assert 'aria-describedby="rights-error" aria-invalid="true"' in input_tag(page, right)
    assert 'aria-invalid="true"' not in input_tag(page, "id_name")


def test_a_file_problem_links_to_the_file_field(cast: Cast) -> None:
    client = employer_login(cast.clerk)
    upload = SimpleUploadedFile("wrong-name.csv", b"A123456789,a@example.tw,0912345678,\n")
    data = {"contact_name": "", "contact_email": "hr@example.tw", "file": upload}
    page = client.post(f"{UNIT}/upload", data).content.decode()
    assert summary_links(page) == [("id_contact_name", "聯絡人：此欄必填。")]
    assert 'aria-describedby="id_contact_name-error" aria-invalid="true"' in input_tag(
        page, "id_contact_name"
    )
    data = {"contact_name": "王承辦", "contact_email": "hr@example.tw", "file": upload}
    upload.seek(0)
    page = client.post(f"{UNIT}/upload", data).content.decode()
    [(anchor, _)] = summary_links(page)
    assert anchor == "id_file"
    assert 'aria-describedby="file-rules id_file-error" aria-invalid="true"' in input_tag(
        page, "id_file"
    )
    assert 'value="王承辦"' in input_tag(page, "id_contact_name")


def test_a_bad_date_is_summarised_with_its_field_name(cast: Cast) -> None:
    client = employer_login(cast.clerk)
    page = client.get(f"{UNIT}/batches", {"date_from": "abc"}).content.decode()
    [(anchor, entry)] = summary_links(page)
    assert anchor == "id_date_from"
    assert entry.startswith("起日：日期格式不正確")
    assert 'aria-invalid="true"' in input_tag(page, "id_date_from")
