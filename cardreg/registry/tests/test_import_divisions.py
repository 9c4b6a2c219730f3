"""The operator's import of the official village list: checked whole, then replaces the table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cardreg.registry import divisions
from cardreg.registry.models import Village

HEADER = "縣市代碼,縣市名稱,鄉鎮市區代碼,鄉鎮市區名稱,村里代碼,村里名稱\n"
ROWS = (
    "63000,臺北市,63000050,中正區,63000050017,黎明里\n"
    "63000,臺北市,63000050,中正區,63000050001,建國里\n"
    "63000,臺北市,63000030,大安區,63000030001,錦安里\n"
    "10015,花蓮縣,10015010,花蓮市,10015010008,民勤里\n"
)

WriteCsv = Callable[..., Path]


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp950"])
def test_the_official_list_is_imported_in_any_excel_encoding(
    write_csv: WriteCsv, encoding: str
) -> None:
    call_command("import_divisions", str(write_csv(HEADER + ROWS, encoding)))
    assert [c.name for c in divisions.counties()] == ["花蓮縣", "臺北市"]
    assert [t.name for t in divisions.townships("臺北市")] == ["大安區", "中正區"]
    assert [v.name for v in divisions.villages("臺北市", "中正區")] == ["建國里", "黎明里"]


@pytest.mark.django_db
def test_big5_hkscs_names_are_read(write_csv: WriteCsv) -> None:
    # 堃 is not in CP950: such a file can only have come from Big5-HKSCS.
    text = HEADER + "63000,臺北市,63000050,中正區,63000050099,堃里\n"
    call_command("import_divisions", str(write_csv(text, "big5hkscs")))
    assert Village.objects.get().name == "堃里"


@pytest.mark.django_db
def test_columns_may_come_in_any_order_with_others_beside_them(write_csv: WriteCsv) -> None:
    text = (
        "村里代碼,村里名稱,備註,縣市名稱,縣市代碼,鄉鎮市區名稱,鄉鎮市區代碼\n"
        "63000050017,黎明里,,臺北市,63000,中正區,63000050\n"
    )
    call_command("import_divisions", str(write_csv(text)))
    village = Village.objects.get()
    assert (village.county_code, village.township_code, village.code) == (
        "63000",
        "63000050",
        "63000050017",
    )


@pytest.mark.django_db
def test_a_reimport_replaces_the_whole_list(write_csv: WriteCsv) -> None:
    call_command("import_divisions", str(write_csv(HEADER + ROWS)))
    call_command(
        "import_divisions",
        str(write_csv(HEADER + "63000,臺北市,63000050,中正區,63000050017,黎明里\n")),
    )
    assert list(Village.objects.values_list("name", flat=True)) == ["黎明里"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("63000,臺北市,63000050,中正區,6300 0050,黎明里", "line 6, 村里代碼"),
        ("63000,臺北市,63000050,中正區,,黎明里", "line 6, 村里代碼"),
        ("63000,臺北市,63000050,中正區,63000050030,", "line 6, 村里名稱"),
        ("63000,臺北市臺北市臺北市臺北市臺北市臺北市,63000050,中正區,63000050030,x里", "縣市名稱"),
        ("63000,台北市,63000050,中正區,63000050030,新里", "line 6, 縣市名稱: this 縣市代碼 has"),
        ("63001,臺北市,63000050,中正區,63000050030,新里", "line 6, 縣市代碼: this 縣市 has"),
        ("63000,臺北市,63000050,大安區,63000050030,新里", "line 6, 鄉鎮市區名稱"),
        ("63000,臺北市,63000051,中正區,63000050030,新里", "line 6, 鄉鎮市區代碼"),
        (
            "63000,臺北市,63000050,中正區,63000050001,新里",
            "村里代碼: is listed twice, also on line 3",
        ),
        ("63000,臺北市,63000050,中正區,63000050030,黎明里", "村里名稱: is listed twice"),
        ("63000,臺北市,63000050,中正區,63000050030", "line 6, row: must have 6 columns"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_line_and_column(
    write_csv: WriteCsv, row: str, expected: str
) -> None:
    call_command("import_divisions", str(write_csv(HEADER + ROWS)))
    with pytest.raises(CommandError) as caught:
        call_command("import_divisions", str(write_csv(HEADER + ROWS + row + "\n")))
    assert expected in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    assert Village.objects.count() == 4  # the list from before, untouched


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("縣市,鄉鎮\n", "line 1, header: missing column.*: 縣市代碼,縣市名稱"),
        ("", "line 1, header: missing"),
        (HEADER, "line 2, row: the file has no villages"),
    ],
)
def test_a_file_without_the_header_or_without_rows_is_refused(
    write_csv: WriteCsv, text: str, expected: str
) -> None:
    with pytest.raises(CommandError, match=expected):
        call_command("import_divisions", str(write_csv(text)))


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_divisions", str(tmp_path / "nope.csv"))
