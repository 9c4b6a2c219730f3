from datetime import date

import pytest

from cardreg.employers.batchfile import (
    FileFormat,
    FileNameProblem,
    check_file_name,
    expected_name,
    file_format,
)

UNIT = "120000000"
TODAY = date(2016, 5, 30)  # 民國105年05月30日


def test_expected_name_is_the_seed_example() -> None:
    assert expected_name(UNIT, TODAY) == "1200000001050530.CSV"
    assert expected_name(UNIT, TODAY, FileFormat.XLSX) == "1200000001050530.xlsx"


@pytest.mark.parametrize(
    "name",
    [
        "1200000001050530.CSV",
        "1200000001050530.csv",
        "1200000001050530.Csv",
        "1200000001050530.xlsx",
        "1200000001050530.XLSX",
        r"C:\fakepath\1200000001050530.CSV",  # what old browsers send
        "/home/clerk/1200000001050530.csv",
    ],
)
def test_accepts_the_unit_code_and_todays_roc_date(name: str) -> None:
    assert check_file_name(name, UNIT, TODAY) is None


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("1200000001050530.txt", FileNameProblem.EXTENSION),
        ("1200000001050530.xls", FileNameProblem.EXTENSION),
        ("1200000001050530.CSV.txt", FileNameProblem.EXTENSION),
        ("1200000001050530", FileNameProblem.EXTENSION),
        ("1200000001050530.", FileNameProblem.EXTENSION),
        ("1333974211050530.CSV", FileNameProblem.OTHER_UNIT),
        ("員工名單.CSV", FileNameProblem.MALFORMED),
        ("1200000001050530 (1).CSV", FileNameProblem.MALFORMED),  # Windows' second copy
        ("120000000-1050530.CSV", FileNameProblem.MALFORMED),
        ("120000000.CSV", FileNameProblem.MALFORMED),
        ("13339742.CSV", FileNameProblem.MALFORMED),
        ("12000000020160530.CSV", FileNameProblem.DATE),  # an AD date
        ("1200000001051330.CSV", FileNameProblem.DATE),  # month 13
        ("1200000001050230.CSV", FileNameProblem.DATE),  # 30 February
        ("120000000105053.CSV", FileNameProblem.DATE),  # six digits
        ("120000000１０５０５３０.CSV", FileNameProblem.MALFORMED),  # full-width digits
        ("1200000001050529.CSV", FileNameProblem.NOT_TODAY),  # yesterday
        ("1200000001050531.CSV", FileNameProblem.NOT_TODAY),  # tomorrow
        ("1200000001040530.CSV", FileNameProblem.NOT_TODAY),  # a year ago
    ],
)
def test_refuses_other_names_with_the_reason(name: str, problem: FileNameProblem) -> None:
    assert check_file_name(name, UNIT, TODAY) is problem


def test_the_date_is_the_day_the_caller_says_is_today() -> None:
    # The caller passes today's date in Asia/Taipei; just after midnight there it is the next day.
    assert check_file_name("1200000001050531.CSV", UNIT, date(2016, 5, 31)) is None
    assert check_file_name("1200000001050530.CSV", UNIT, date(2016, 5, 31)) is (
        FileNameProblem.NOT_TODAY
    )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.CSV", FileFormat.CSV),
        ("a.csv", FileFormat.CSV),
        ("a.xlsx", FileFormat.XLSX),
        ("a.XLSX", FileFormat.XLSX),
        ("a.xls", None),
        ("csv", None),
        ("", None),
    ],
)
def test_file_format_follows_the_extension(name: str, fmt: FileFormat | None) -> None:
    assert file_format(name) is fmt
