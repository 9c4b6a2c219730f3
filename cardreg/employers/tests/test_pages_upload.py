"""健保卡註冊申請整批資料上傳: the page, the example file, upload → preview → 確認送出 / 取消."""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cardreg.audit.models import AuditEvent
from cardreg.employers.batches import taipei_now
from cardreg.employers.batchfile import bombs
from cardreg.employers.models import Batch, BatchStatus, InsuranceUnit
from cardreg.employers.testing import (
    add_people,
    add_roster,
    batch_rows,
    csv_bytes,
    file_name,
    national_ids,
)
from cardreg.employers.tests.pages import Cast, employer_login, make_cast, registered, text
from cardreg.lib.roc_date import format_roc_compact

UPLOAD = "/employer/133397421/upload"
EXAMPLE = "/employer/133397421/example.csv"
CONTACT = {"contact_name": "王承辦", "contact_email": "hr@example.tw"}


@pytest.fixture
def cast(unit: InsuranceUnit, other_unit: InsuranceUnit) -> Cast:
    return make_cast(unit, other_unit)


@pytest.fixture
def clerk(cast: Cast) -> Client:
    return employer_login(cast.clerk)


def post_file(client: Client, name: str, data: bytes, **contact: str) -> Any:
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(UPLOAD, {**CONTACT, **contact, "file": upload})


def good_file(unit: InsuranceUnit) -> bytes:
    """Three insured employees with cards, one not insured, one bad mobile; CP950 like Excel."""
    ids = national_ids(4)
    add_people(ids)
    add_roster(unit.code, ids[:3])
    rows = batch_rows(ids)
    rows.append(("A123456789", "x@example.tw", "912345678", ""))  # Excel dropped the 0
    return csv_bytes(rows, "cp950")


def test_the_page_shows_the_unit_the_contact_and_the_rules(cast: Cast, clerk: Client) -> None:
    response = clerk.get(UPLOAD)
    page = text(response)
    assert "健保卡註冊申請整批資料上傳" in page
    assert "投保單位代號 133397421" in page and cast.unit.name in page
    content = response.content.decode()
    assert 'id="id_contact_name" name="contact_name"' in content
    assert 'value="王承辦"' in content  # the logged-in clerk's name
    assert 'value="clerk@example.tw"' in content  # his account's e-mail
    for words in (
        "聯絡人E-Mail",
        "瀏覽檔案",
        "上傳檔案",
        "身分證號、電子郵件、行動電話、聯絡電話",
        "區碼以-隔開，分機以#隔開，例如 02-12345678#1234",
        "← 第一列為標題列，請保留，不會上傳",
        "UTF-8或Big5",
        ".xlsx",
        "最大 20 MB、最多 200000 筆資料",
    ):
        assert words in page, words
    assert "請勿上傳" not in page  # the header row is kept, only skipped
    today = format_roc_compact(taipei_now().date())
    assert f"今天上傳的檔名請用： 133397421{today}.CSV" in page
    assert 'href="/employer/133397421/example.csv"' in content
    assert f"下載範例檔(133397421{today}.CSV)" in page


def test_the_example_says_to_keep_the_header_row_in_english(cast: Cast, clerk: Client) -> None:
    clerk.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(clerk.get(UPLOAD))
    assert "← The first row is the header: keep it, it is not uploaded" in page


def test_the_limits_come_from_the_settings(cast: Cast, clerk: Client, settings: Any) -> None:
    settings.CARDREG_BATCH_MAX_BYTES = 5 * 1024 * 1024
    settings.CARDREG_BATCH_MAX_ROWS = 1000
    assert "最大 5 MB、最多 1000 筆資料" in text(clerk.get(UPLOAD))


def test_the_example_file_is_made_up_and_named_as_today_asks(cast: Cast, clerk: Client) -> None:
    # Outside the demo the unit's roster is real people: the example never shows them.
    insured = national_ids(2)
    add_people(insured)
    add_roster(cast.unit.code, insured)
    response = clerk.get(EXAMPLE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{file_name(cast.unit)}"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "身分證號,電子郵件,行動電話,聯絡電話",
        "A123456789,wang@example.com,0912345678,02-12345678#1234",
        "B120000008,lin@example.com,0987654321,",
    ]
    page = text(clerk.get(UPLOAD))  # the page's example table shows the same rows
    assert "A123456789 wang@example.com 0912345678 02-12345678#1234" in page
    assert not any(national_id in page for national_id in insured)
    assert "不必修改即可上傳" not in page


def test_the_example_file_needs_the_upload_right_in_that_unit(cast: Cast) -> None:
    assert employer_login(cast.query_only).get(EXAMPLE).status_code == 403
    assert employer_login(cast.other_admin).get(EXAMPLE).status_code == 404
    assert employer_login(cast.upload_only).get(EXAMPLE).status_code == 200


def test_in_the_demo_the_example_lists_people_the_unit_can_register(
    cast: Cast, clerk: Client, settings: Any
) -> None:
    settings.CARDREG_DEMO = True
    ids = national_ids(8)
    add_people([ids[1], *ids[3:]])  # ids[0] has no card
    yesterday = taipei_now().date() - dt.timedelta(days=1)
    add_roster(cast.unit.code, ids[:1])
    add_roster(cast.unit.code, ids[1:2], until=yesterday)  # no longer insured
    add_roster(cast.unit.code, ids[2:7])
    registered(ids[2], email="someone@example.tw")  # already registered
    add_roster(cast.other_unit.code, ids[7:])  # another unit's

    response = clerk.get(EXAMPLE)
    assert response["Content-Disposition"] == f'attachment; filename="{file_name(cast.unit)}"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == [  # the first three the unit can register, numbered by roster place
        f"{ids[3]},demo04@example.tw,0912000004,",
        f"{ids[4]},demo05@example.tw,0912000005,",
        f"{ids[5]},demo06@example.tw,0912000006,",
    ]
    page = text(clerk.get(UPLOAD))
    assert f"{ids[3]} demo04@example.tw 0912000004" in page  # the page's table, the same rows
    assert "不必修改即可上傳" in page

    # Uploaded unchanged, under the name it came with: every row can be registered.
    name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert post_file(clerk, name, response.content).status_code == 302
    preview = text(clerk.get(f"/employer/133397421/uploads/{Batch.objects.get().pk}"))
    assert "上傳筆數 3" in preview and "預計失敗筆數 0" in preview


def test_a_cp950_file_is_previewed_then_submitted(cast: Cast, clerk: Client) -> None:
    response = post_file(clerk, file_name(cast.unit), good_file(cast.unit))
    batch = Batch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/employer/133397421/uploads/{batch.pk}"
    assert (batch.status, batch.encoding, batch.total) == (BatchStatus.DRAFT, "cp950", 5)
    assert (batch.contact_name, batch.contact_email) == ("王承辦", "hr@example.tw")
    assert batch.uploader_name == "王承辦"

    preview = text(clerk.get(response["Location"]))
    assert "上傳筆數 5" in preview
    assert "預計失敗筆數 2" in preview
    assert "第4筆資料" in preview and "非該單位在保保險對象" in preview
    assert "第5筆資料 A12345****" in preview and "行動電話" in preview
    assert "A123456789" not in preview
    assert "確認送出" in preview and "取消" in preview

    submitted = clerk.post(f"/employer/133397421/uploads/{batch.pk}/submit")
    assert submitted["Location"] == f"/employer/133397421/batches/{batch.pk}"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.WAITING and batch.submitted_at is not None
    assert "已上傳，等待入檔" in text(clerk.get(submitted["Location"]))
    # 確認送出 again (a double click): the same status page, nothing doubled
    again = clerk.post(f"/employer/133397421/uploads/{batch.pk}/submit")
    assert again["Location"] == submitted["Location"]
    assert Batch.objects.filter(status=BatchStatus.WAITING).count() == 1


def test_the_preview_of_a_submitted_batch_leads_to_its_status(cast: Cast, clerk: Client) -> None:
    # Back (or the address again) after 確認送出: the batch's status, not a "not found" page.
    post_file(clerk, file_name(cast.unit), good_file(cast.unit))
    batch = Batch.objects.get()
    preview = f"/employer/133397421/uploads/{batch.pk}"
    clerk.post(f"{preview}/submit")
    response = clerk.get(preview)
    assert response.status_code == 302
    assert response["Location"] == f"/employer/133397421/batches/{batch.pk}"
    # Someone who may not see the batch still finds nothing there.
    assert employer_login(cast.clerk2).get(preview).status_code == 404


def test_cancel_discards_the_draft(cast: Cast, clerk: Client) -> None:
    post_file(clerk, file_name(cast.unit), good_file(cast.unit))
    batch = Batch.objects.get()
    response = clerk.post(f"/employer/133397421/uploads/{batch.pk}/cancel")
    assert response["Location"] == UPLOAD
    assert not Batch.objects.exists()
    event = AuditEvent.objects.get(action="employers.batch_discarded")
    assert event.subject == f"batch:{batch.pk}" and event.actor.endswith("****")
    assert "已取消這次上傳，資料未送出。" in text(clerk.get(UPLOAD))
    assert clerk.get(f"/employer/133397421/uploads/{batch.pk}").status_code == 404


def test_a_header_that_looks_like_an_employee_is_warned_about(cast: Cast, clerk: Client) -> None:
    ids = national_ids(3)
    data = "\r\n".join(",".join(row) for row in batch_rows(ids)).encode() + b"\r\n"
    post_file(clerk, file_name(cast.unit), data)
    page = text(clerk.get(f"/employer/133397421/uploads/{Batch.objects.get().pk}"))
    assert "檔案的第一列看起來是員工資料" in page
    assert "上傳筆數 2" in page


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("120000000{today}.CSV", "檔名中的投保單位代號不是本單位的。"),
        ("1333974211050530.CSV", "檔名中的申請日期須為今天。"),
        ("employees.txt", "檔案須為CSV檔(副檔名.CSV)或Excel活頁簿(.xlsx)。"),
    ],
)
def test_a_wrong_file_name_is_refused_with_todays_name(
    cast: Cast, clerk: Client, name: str, problem: str
) -> None:
    today = format_roc_compact(taipei_now().date())
    response = post_file(clerk, name.format(today=today), good_file(cast.unit))
    assert response.status_code == 400
    problem_text = response.content.decode().split('id="id_file-error">')[1].split("<")[0]
    assert problem in problem_text
    assert f"今天請用：133397421{today}.CSV" in problem_text
    assert not Batch.objects.exists()


def test_a_renamed_binary_file_gets_a_clear_message(cast: Cast, clerk: Client) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    response = post_file(clerk, file_name(cast.unit), png)
    assert response.status_code == 400
    assert "檔案內容不是CSV檔：圖片。請在Excel中「另存新檔」，存為CSV檔。" in text(response)
    assert not Batch.objects.exists()


def test_a_file_over_the_limit_is_refused_without_reading_it_all(
    cast: Cast, clerk: Client, settings: Any
) -> None:
    settings.CARDREG_BATCH_MAX_BYTES = 1024 * 1024
    data = csv_bytes(batch_rows(national_ids(30_000)))
    assert len(data) > 1024 * 1024
    response = post_file(clerk, file_name(cast.unit), data)
    assert response.status_code == 413
    assert "檔案超過 1 MB，請分成數個檔案上傳。" in text(response)


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ({"contact_email": "hr@"}, "聯絡人E-Mail格式不正確，例如 name@example.com。"),
        ({"contact_email": ""}, "此欄必填。"),
        ({"contact_name": ""}, "此欄必填。"),
        ({"contact_name": "王" * 51}, "聯絡人最多 50 個字。"),
    ],
)
def test_bad_contact_fields_are_refused(
    cast: Cast, clerk: Client, contact: dict[str, str], message: str
) -> None:
    response = post_file(clerk, file_name(cast.unit), good_file(cast.unit), **contact)
    assert response.status_code == 400
    field = next(iter(contact))
    error = response.content.decode().split(f'id="id_{field}-error">')[1].split("<")[0]
    assert message in error
    assert not Batch.objects.exists()


def test_no_file_chosen(cast: Cast, clerk: Client) -> None:
    response = clerk.post(UPLOAD, CONTACT)
    assert response.status_code == 400
    assert "請按「瀏覽檔案」選擇要上傳的檔案。" in text(response)


def test_a_full_width_contact_email_is_taken_half_width(cast: Cast, clerk: Client) -> None:
    post_file(clerk, file_name(cast.unit), good_file(cast.unit), contact_email="ｈｒ@example.tw")
    assert Batch.objects.get().contact_email == "hr@example.tw"


def test_a_draft_is_its_uploaders_own(cast: Cast, clerk: Client) -> None:
    post_file(clerk, file_name(cast.unit), good_file(cast.unit))
    batch = Batch.objects.get()
    preview = f"/employer/133397421/uploads/{batch.pk}"
    for other in (cast.clerk2, cast.admin):
        client = employer_login(other)
        assert client.get(preview).status_code == 404
        assert client.post(f"{preview}/submit").status_code == 404
        assert client.post(f"{preview}/cancel").status_code == 404
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT
    other_unit = employer_login(cast.other_admin)
    assert other_unit.get(f"/employer/120000000/uploads/{batch.pk}").status_code == 404
    assert other_unit.get(preview).status_code == 404


def test_the_upload_right_is_needed(cast: Cast) -> None:
    query_only = employer_login(cast.query_only)
    assert query_only.get(UPLOAD).status_code == 403
    response = query_only.post(UPLOAD, {**CONTACT, "file": SimpleUploadedFile("a.CSV", b"x")})
    assert response.status_code == 403
    assert employer_login(cast.upload_only).get(UPLOAD).status_code == 200
    assert employer_login(cast.other_admin).get(UPLOAD).status_code == 404


# Hostile uploads: refused quickly, and never read past the limit ------------------------------


def test_an_xlsx_zip_bomb_is_refused_at_once_and_the_portal_keeps_answering(
    cast: Cast, clerk: Client
) -> None:
    bomb = bombs.empty_cell_bomb(190)
    name = file_name(cast.unit).replace(".CSV", ".xlsx")
    started = time.monotonic()
    response = post_file(clerk, name, bomb)
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    assert "這個Excel檔的空白儲存格遠多於資料，無法讀取。" in text(response)
    assert not Batch.objects.exists()
    assert clerk.get(UPLOAD).status_code == 200


class CountingInput(io.BytesIO):
    """wsgi.input that counts what the server handed the application."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.given = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.given += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.given += len(line)
        return line


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----cardreg-test-boundary"
    disposition = '--{}\r\nContent-Disposition: form-data; name="{}"\r\n\r\n{}\r\n'
    parts = [
        disposition.format(boundary, field, value).encode() for field, value in CONTACT.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post_raw(client: Client, body: bytes, content_type: str, length: int | None) -> tuple[Any, int]:
    """The response, and how many bytes of the body the application read."""
    stream = CountingInput(body)
    extra: dict[str, Any] = {"wsgi.input": stream}
    extra["CONTENT_LENGTH"] = "" if length is None else str(length)
    response = client.generic("POST", UPLOAD, body, content_type, **extra)
    return response, stream.given


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_a_body_declared_over_the_limit_is_413_before_reading_it(
    cast: Cast, clerk: Client, settings: Any, language: str
) -> None:
    settings.CARDREG_BATCH_MAX_BYTES = 1024 * 1024
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body, content_type = multipart(file_name(cast.unit), b"x" * (2 * 1024 * 1024))
    response, given = post_raw(clerk, body, content_type, len(body))
    assert response.status_code == 413
    assert given == 0
    words = {
        "zh-hant": "檔案超過 1 MB，請分成數個檔案上傳。",
        "en": "The file is larger than 1 MB",
    }
    assert words[language] in text(response)
    assert not Batch.objects.exists()


def test_a_file_part_past_the_limit_stops_the_reading_with_413(
    cast: Cast, clerk: Client, settings: Any
) -> None:
    # The body's length passes the Content-Length check (limit + the form's allowance), but the
    # file in it is over the limit: the upload handler stops reading there.
    limit = 100 * 1024
    settings.CARDREG_BATCH_MAX_BYTES = limit
    body, content_type = multipart(file_name(cast.unit), b"x" * (limit + 60 * 1024))
    response, given = post_raw(clerk, body, content_type, len(body))
    assert response.status_code == 413
    assert "請分成數個檔案上傳" in text(response)
    assert given <= limit + 2 * 64 * 1024  # the limit and at most the parser's chunk
    assert given < len(body)
    assert not Batch.objects.exists()


def test_a_body_without_a_length_uploads_nothing(cast: Cast, clerk: Client) -> None:
    # A chunked body reaches Django with no Content-Length: Django reads none of it.
    body, content_type = multipart(file_name(cast.unit), good_file(cast.unit))
    response, given = post_raw(clerk, body, content_type, None)
    assert response.status_code == 400
    assert given == 0
    assert not Batch.objects.exists()


def test_the_upload_still_needs_its_csrf_token(cast: Cast, clerk: Client) -> None:
    clerk.handler.enforce_csrf_checks = True
    response = post_file(clerk, file_name(cast.unit), good_file(cast.unit))
    assert response.status_code == 403
    assert not Batch.objects.exists()


def test_a_fixable_id_is_explained_without_the_full_id(cast: Cast, clerk: Client) -> None:
    ids = national_ids(2)
    add_people(ids)
    add_roster(cast.unit.code, ids)
    typed = [ids[0].lower(), ids[1].translate(str.maketrans("0123456789", "０１２３４５６７８９"))]
    rows = [
        (typed[0], "a@example.tw", "0912345678", ""),
        (typed[1], "b@example.tw", "0912345679", ""),
    ]
    response = post_file(clerk, file_name(cast.unit), csv_bytes(rows))
    assert response.status_code == 302
    page = text(clerk.get(response["Location"]))
    assert "身分證號的英文字母須為大寫。" in page
    assert "身分證號含有全形字元，請切換為半形後重新輸入。" in page
    assert ids[0] not in page and ids[1] not in page
    assert typed[0][:6] + "****" in page  # masked as typed: which row it is
