"""The operator's import of the local household register: streamed, all or nothing, upserted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cardreg.lib.national_id import make_national_id
from cardreg.registry import household_import
from cardreg.registry.models import HouseholdMember, Village

HEADER = "national_id,household_no,county,township,village,neighbourhood\n"
ROWS = (
    "A123456789,F1234567,臺北市,中正區,黎明里,3\n"
    "A800000014,Ｆ１２３４５６７,臺北市,中正區,黎明里,3\n"
    "AA00000009,h0000001,花蓮縣,花蓮市,民勤里,12\n"
)

WriteCsv = Callable[..., Path]


def people() -> dict[str, tuple[str, str, str, str, int]]:
    return {
        m.national_id: (m.household_no, m.county, m.township, m.village, m.neighbourhood)
        for m in HouseholdMember.objects.all()
    }


@pytest.mark.usefixtures("divisions")
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp950"])
def test_people_are_imported_with_their_household_number_normalised(
    write_csv: WriteCsv, encoding: str
) -> None:
    call_command("import_households", str(write_csv(HEADER + ROWS, encoding)))
    assert people() == {
        "A123456789": ("F1234567", "臺北市", "中正區", "黎明里", 3),
        "A800000014": ("F1234567", "臺北市", "中正區", "黎明里", 3),
        "AA00000009": ("H0000001", "花蓮縣", "花蓮市", "民勤里", 12),
    }


@pytest.mark.usefixtures("divisions")
def test_a_reimport_updates_people_and_keeps_the_others(write_csv: WriteCsv) -> None:
    call_command("import_households", str(write_csv(HEADER + ROWS)))
    moved = "A123456789,K7654321,花蓮縣,吉安鄉,慶豐村,5\n"
    call_command("import_households", str(write_csv(HEADER + moved)))
    assert HouseholdMember.objects.count() == 3
    assert people()["A123456789"] == ("K7654321", "花蓮縣", "吉安鄉", "慶豐村", 5)


@pytest.mark.usefixtures("divisions")
def test_replace_also_removes_the_people_missing_from_the_file(write_csv: WriteCsv) -> None:
    call_command("import_households", str(write_csv(HEADER + ROWS)))
    call_command("import_households", str(write_csv(HEADER + ROWS.splitlines()[0])), "--replace")
    assert list(people()) == ["A123456789"]


@pytest.mark.usefixtures("divisions")
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("A123456788,F1234567,臺北市,中正區,黎明里,3", "line 5, national_id: invalid (checksum)"),
        ("a123456789,F1234567,臺北市,中正區,黎明里,3", "line 5, national_id: invalid (lower_case)"),
        ("B123456780,F12,臺北市,中正區,黎明里,3", "line 5, household_no"),
        ("B123456780,F1234567,臺北縣,中正區,黎明里,3", "line 5, county: is not a county"),
        ("B123456780,F1234567,臺北市,板橋區,黎明里,3", "line 5, township: is not a township"),
        ("B123456780,F1234567,臺北市,中正區,留侯里,3", "line 5, village: is not a village"),
        ("B123456780,F1234567,臺北市,中正區,,3", "line 5, village: must be 1 to 16"),
        ("B123456780,F1234567,臺北市,中正區,黎明里,0", "line 5, neighbourhood"),
        ("B123456780,F1234567,臺北市,中正區,黎明里,100", "line 5, neighbourhood"),
        ("B123456780,F1234567,臺北市,中正區,黎明里,三", "line 5, neighbourhood"),
        ("B123456780,F1234567,臺北市,中正區,黎明里", "line 5, row: must have 6 columns"),
        ("A800000014,F1234567,臺北市,中正區,黎明里,3", "line 5, national_id: is also on line 3"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_line_and_column(
    write_csv: WriteCsv, row: str, expected: str
) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import_households", str(write_csv(HEADER + ROWS + row + "\n")))
    assert expected in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    assert HouseholdMember.objects.count() == 0


@pytest.mark.django_db
def test_without_a_divisions_list_any_place_name_is_accepted(write_csv: WriteCsv) -> None:
    assert not Village.objects.exists()
    call_command(
        "import_households", str(write_csv(HEADER + "A123456789,F1234567,甲市,乙區,丙里,1\n"))
    )
    assert people()["A123456789"][1:4] == ("甲市", "乙區", "丙里")


def _many_rows(count: int) -> str:
    ids = [make_national_id("A", "1", f"{n:07d}") for n in range(count)]
    return "".join(f"{i},F{n:07d},臺北市,中正區,黎明里,{1 + n % 99}\n" for n, i in enumerate(ids))


@pytest.mark.usefixtures("divisions")
def test_a_bad_row_after_chunks_were_written_still_imports_nothing(
    write_csv: WriteCsv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(household_import, "CHUNK", 3)
    text = HEADER + _many_rows(10) + "A123456788,F1234567,臺北市,中正區,黎明里,3\n"
    with pytest.raises(CommandError, match="line 12, national_id"):
        call_command("import_households", str(write_csv(text)))
    assert HouseholdMember.objects.count() == 0


@pytest.mark.usefixtures("divisions")
def test_a_person_listed_in_two_chunks_is_refused(
    write_csv: WriteCsv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(household_import, "CHUNK", 3)
    rows = _many_rows(7)
    again = rows.splitlines()[1].replace(",F", ",K") + "\n"
    with pytest.raises(CommandError, match="line 9, national_id: is listed twice"):
        call_command("import_households", str(write_csv(HEADER + rows + again)))
    assert HouseholdMember.objects.count() == 0


@pytest.mark.usefixtures("divisions")
def test_many_rows_are_written_in_chunks(
    write_csv: WriteCsv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(household_import, "CHUNK", 4)
    call_command("import_households", str(write_csv(HEADER + _many_rows(10))))
    assert HouseholdMember.objects.count() == 10


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("national_id,household_no\n", "line 1, header: must be exactly"),
        (HEADER, "line 2, row: the file has no people"),
    ],
)
def test_a_file_without_the_header_or_without_rows_is_refused(
    write_csv: WriteCsv, text: str, expected: str
) -> None:
    with pytest.raises(CommandError, match=expected):
        call_command("import_households", str(write_csv(text)), "--replace")
