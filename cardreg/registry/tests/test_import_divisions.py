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
    assert [c.name for c in divisions.counties()] == ["臺北市", "花蓮縣"]
    assert [t.name for t in divisions.townships("臺北市")] == ["大安區", "中正區"]
    assert [v.name for v in divisions.villages("臺北市", "中正區")] == ["建國里", "黎明里"]


# Every county with its official 縣市代碼, in code order (and one the order does not know).
OFFICIAL_COUNTIES = (
    "09007 連江縣,09020 金門縣,10002 宜蘭縣,10004 新竹縣,10005 苗栗縣,10007 彰化縣,10008 南投縣,"
    "10009 雲林縣,10010 嘉義縣,10013 屏東縣,10014 臺東縣,10015 花蓮縣,10016 澎湖縣,10017 基隆市,"
    "10018 新竹市,10020 嘉義市,63000 臺北市,64000 高雄市,65000 新北市,66000 臺中市,67000 臺南市,"
    "68000 桃園市,70000 測試縣"
)


@pytest.mark.django_db
@pytest.mark.parametrize("reverse", [False, True])
def test_counties_are_listed_north_to_south_whatever_the_file_order(
    write_csv: WriteCsv, reverse: bool
) -> None:
    counties = [item.split() for item in OFFICIAL_COUNTIES.split(",")]
    rows = [f"{code},{name},{code}010,某區,{code}010001,某里\n" for code, name in counties]
    call_command(
        "import_divisions", str(write_csv(HEADER + "".join(rows[:: -1 if reverse else 1])))
    )
    assert [c.name for c in divisions.counties()] == [
        *("基隆市", "臺北市", "新北市", "桃園市", "新竹市", "新竹縣", "苗栗縣", "臺中市"),
        *("彰化縣", "南投縣", "雲林縣", "嘉義市", "嘉義縣", "臺南市", "高雄市", "屏東縣"),
        *("宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣"),
        "測試縣",  # not a county we know of: last
    ]


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
