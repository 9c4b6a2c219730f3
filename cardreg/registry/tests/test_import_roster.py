"""The operator's import of the insured roster: streamed, all or nothing, replaced per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cardreg.audit.models import AuditEvent
from cardreg.lib.national_id import make_national_id
from cardreg.registry import roster_import
from cardreg.registry.models import RosterEntry

HEADER = "unit_code,national_id,insured_from,insured_until\n"
ROWS = (
    "133397421,A123456789,2016-07-01,\n"
    "133397421,A800000014,2010-01-01,2015-12-31\n"
    "120000000,AA00000009,2020-02-29,2024-02-29\n"
)

WriteCsv = Callable[..., Path]
Entry = tuple[str, str, dt.date, dt.date | None]

pytestmark = pytest.mark.django_db


def entries() -> set[Entry]:
    return set(
        RosterEntry.objects.values_list("unit_code", "national_id", "insured_from", "insured_until")
    )


def import_roster(path: Path) -> str:
    out = StringIO()
    call_command("import_roster", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp950"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_roster_is_imported(write_csv: WriteCsv, encoding: str, newline: str) -> None:
    out = import_roster(write_csv((HEADER + ROWS).replace("\n", newline), encoding))
    # Every field is ASCII, so a file saved as UTF-8 or as Big5 reads the same.
    assert out == "imported 3 roster rows for 2 units (utf-8-sig), replacing 0 rows\n"
    assert entries() == {
        ("133397421", "A123456789", dt.date(2016, 7, 1), None),
        ("133397421", "A800000014", dt.date(2010, 1, 1), dt.date(2015, 12, 31)),
        ("120000000", "AA00000009", dt.date(2020, 2, 29), dt.date(2024, 2, 29)),
    }
    event = AuditEvent.objects.get(action="registry.roster_imported")
    assert event.detail == {"imported": 3, "units": 2, "replaced": 0}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp950"])
def test_full_width_characters_are_read_in_either_encoding_and_reported(
    write_csv: WriteCsv, encoding: str
) -> None:
    text = HEADER + ROWS + "133397421,Ａ123456789,2016-07-01,\n"
    with pytest.raises(CommandError, match=r"line 5, national_id: invalid \(full_width\)"):
        import_roster(write_csv(text, encoding))


def test_an_ideographic_space_around_a_value_is_ignored(write_csv: WriteCsv) -> None:
    import_roster(write_csv(HEADER + "133397421,A123456789\u3000,2016-07-01,\n", "cp950"))
    assert entries() == {("133397421", "A123456789", dt.date(2016, 7, 1), None)}


def test_a_reimport_replaces_the_rows_of_the_units_in_the_file_only(
    write_csv: WriteCsv,
) -> None:
    import_roster(write_csv(HEADER + ROWS))
    again = "133397421,F131104093,2023-01-01,\n"
    out = import_roster(write_csv(HEADER + again))
    assert out.endswith("imported 1 roster rows for 1 units (utf-8-sig), replacing 2 rows\n")
    assert entries() == {
        ("133397421", "F131104093", dt.date(2023, 1, 1), None),
        ("120000000", "AA00000009", dt.date(2020, 2, 29), dt.date(2024, 2, 29)),
    }


def test_a_person_may_have_several_periods(write_csv: WriteCsv) -> None:
    rows = "133397421,A123456789,2010-01-01,2012-12-31\n133397421,A123456789,2016-07-01,\n"
    import_roster(write_csv(HEADER + rows))
    assert RosterEntry.objects.filter(national_id="A123456789").count() == 2


def _many_rows(count: int, unit: str = "133397421") -> str:
    ids = [make_national_id("A", "1", f"{n:07d}") for n in range(count)]
    return "".join(f"{unit},{national_id},2016-07-01,\n" for national_id in ids)


def test_a_unit_spread_over_chunks_keeps_every_new_row(
    write_csv: WriteCsv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roster_import, "CHUNK", 3)
    import_roster(write_csv(HEADER + _many_rows(4) + _many_rows(4, "120000000")))
    # The two units alternate, so both come back in every chunk after their old rows went.
    first, second = _many_rows(5).splitlines(True), _many_rows(5, "120000000").splitlines(True)
    rows = "".join(a + b for a, b in zip(first, second, strict=True))
    import_roster(write_csv(HEADER + rows))
    assert RosterEntry.objects.filter(unit_code="133397421").count() == 5
    assert RosterEntry.objects.filter(unit_code="120000000").count() == 5


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("13339742,A123456789,2016-07-01,", "line 5, unit_code: must be 9 digits"),
        ("13339742１,A123456789,2016-07-01,", "line 5, unit_code: must be 9 digits"),
        ("133397421,A123456788,2016-07-01,", "line 5, national_id: invalid (checksum)"),
        ("133397421,a123456789,2016-07-01,", "line 5, national_id: invalid (lower_case)"),
        ("133397421,,2016-07-01,", "line 5, national_id: invalid (empty)"),
        ("133397421,A123456789,,", "line 5, insured_from: must be a date written YYYY-MM-DD"),
        ("133397421,A123456789,2016-02-30,", "line 5, insured_from: must be a date"),
        ("133397421,A123456789,20160701,", "line 5, insured_from: must be a date"),
        ("133397421,A123456789,2016-7-1,", "line 5, insured_from: must be a date"),
        ("133397421,A123456789,105/07/01,", "line 5, insured_from: must be a date"),
        ("133397421,A123456789,2016-07-01,2016-13-01", "line 5, insured_until: must be a date"),
        ("133397421,A123456789,2016-07-01,2016-06-30", "line 5, insured_until: is before"),
        ("133397421,A123456789,2016-07-01", "line 5, row: must have 4 columns"),
        ("133397421,A123456789,2016-07-01,,", "line 5, row: must have 4 columns"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_line_and_column(
    write_csv: WriteCsv, row: str, expected: str
) -> None:
    import_roster(write_csv(HEADER + "133397421,F131104093,2023-01-01,\n"))
    with pytest.raises(CommandError) as caught:
        import_roster(write_csv(HEADER + ROWS + row + "\n"))
    assert expected in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    assert entries() == {("133397421", "F131104093", dt.date(2023, 1, 1), None)}


def test_a_period_of_one_day_is_accepted(write_csv: WriteCsv) -> None:
    import_roster(write_csv(HEADER + "133397421,A123456789,2016-07-01,2016-07-01\n"))
    assert len(entries()) == 1


def test_a_bad_row_after_chunks_were_written_still_imports_nothing(
    write_csv: WriteCsv, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_roster(write_csv(HEADER + ROWS))
    monkeypatch.setattr(roster_import, "CHUNK", 3)
    text = HEADER + _many_rows(10) + "133397421,A123456788,2016-07-01,\n"
    with pytest.raises(CommandError, match="line 12, national_id"):
        import_roster(write_csv(text))
    assert len(entries()) == 3  # the units of the file kept their old rows too


def test_a_file_neither_utf8_nor_big5_is_refused(write_csv: WriteCsv) -> None:
    path = write_csv(HEADER)
    path.write_bytes(HEADER.encode() + b"133397421,A123456789,2016-07-01,\x80\xff\n")
    with pytest.raises(CommandError, match="line 2, file: is neither UTF-8 nor Big5"):
        import_roster(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unit_code,national_id,insured_from\n", "line 1, header: must be exactly"),
        ("national_id,unit_code,insured_from,insured_until\n", "line 1, header: must be exactly"),
        (HEADER, "line 2, row: the file has no rows"),
        ("", "line 1, header: must be exactly"),
    ],
)
def test_a_file_without_the_header_or_without_rows_is_refused(
    write_csv: WriteCsv, text: str, expected: str
) -> None:
    with pytest.raises(CommandError, match=expected):
        import_roster(write_csv(text))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        import_roster(tmp_path / "missing.csv")
