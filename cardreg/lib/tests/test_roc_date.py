import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cardreg.lib.roc_date import (
    RocDateError,
    RocDateProblem,
    format_roc_compact,
    format_roc_slash,
    format_roc_text,
    from_roc_year,
    parse_roc_date,
    to_roc_year,
)

ROC_DATES = st.dates(min_value=datetime.date(1912, 1, 1), max_value=datetime.date(2910, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0790101", datetime.date(1990, 1, 1)),
        ("1050713", datetime.date(2016, 7, 13)),
        ("105/07/13", datetime.date(2016, 7, 13)),
        ("79/1/1", datetime.date(1990, 1, 1)),
        ("105-07-13", datetime.date(2016, 7, 13)),
        ("105.07.13", datetime.date(2016, 7, 13)),
        ("民國105年9月1日", datetime.date(2016, 9, 1)),
        ("民國1050901", datetime.date(2016, 9, 1)),
        ("民國105年09月01日", datetime.date(2016, 9, 1)),
        ("105年9月1日", datetime.date(2016, 9, 1)),
        ("中華民國 105 年 9 月 1 日", datetime.date(2016, 9, 1)),
        ("  1050713 ", datetime.date(2016, 7, 13)),
        ("0010101", datetime.date(1912, 1, 1)),
    ],
)
def test_parse_accepts_the_usual_forms(text: str, expected: datetime.date) -> None:
    assert parse_roc_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１０５０７１３", datetime.date(2016, 7, 13)),
        ("１０５／０７／１３", datetime.date(2016, 7, 13)),
        ("民國１０５年９月１日", datetime.date(2016, 9, 1)),
    ],
)
def test_parse_converts_full_width_digits(text: str, expected: datetime.date) -> None:
    assert parse_roc_date(text) == expected


PROBLEM_EXAMPLES = [
    ("", RocDateProblem.EMPTY),
    ("　", RocDateProblem.EMPTY),
    ("105713", RocDateProblem.FORMAT),  # not zero-padded: could be 10/57/13 or 105/7/13
    ("105/07-13", RocDateProblem.FORMAT),
    ("July 13", RocDateProblem.FORMAT),
    ("١٠٥٠٧١٣", RocDateProblem.FORMAT),  # Arabic-Indic digits are not digits here
    ("1050230", RocDateProblem.INVALID_DATE),
    ("105/13/01", RocDateProblem.INVALID_DATE),
    ("民國105年2月30日", RocDateProblem.INVALID_DATE),
    ("0000101", RocDateProblem.BEFORE_ROC),
    ("0/1/1", RocDateProblem.BEFORE_ROC),
    ("20160713", RocDateProblem.AD_YEAR),
    ("2016/07/13", RocDateProblem.AD_YEAR),
    ("2016年7月13日", RocDateProblem.AD_YEAR),
]


@pytest.mark.parametrize(("text", "problem"), PROBLEM_EXAMPLES)
def test_parse_names_the_problem(text: str, problem: RocDateProblem) -> None:
    with pytest.raises(RocDateError) as raised:
        parse_roc_date(text)
    assert raised.value.problem is problem


def test_every_problem_has_an_example() -> None:
    assert {problem for _, problem in PROBLEM_EXAMPLES} == set(RocDateProblem)


def test_roc_date_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_roc_date("1050230")


def test_formats() -> None:
    date = datetime.date(2016, 7, 13)
    assert format_roc_compact(date) == "1050713"
    assert format_roc_slash(date) == "105/07/13"
    assert format_roc_text(date) == "民國105年07月13日"


def test_formats_pad_a_two_digit_year_except_in_text() -> None:
    date = datetime.date(1990, 1, 1)
    assert format_roc_compact(date) == "0790101"
    assert format_roc_slash(date) == "079/01/01"
    assert format_roc_text(date) == "民國79年01月01日"


def test_year_conversion() -> None:
    assert to_roc_year(2016) == 105
    assert from_roc_year(105) == 2016
    assert to_roc_year(1912) == 1


def test_year_conversion_refuses_years_before_the_republic() -> None:
    with pytest.raises(RocDateError) as raised:
        to_roc_year(1911)
    assert raised.value.problem is RocDateProblem.BEFORE_ROC
    with pytest.raises(RocDateError) as raised:
        from_roc_year(0)
    assert raised.value.problem is RocDateProblem.BEFORE_ROC


@pytest.mark.parametrize("date", [datetime.date(1911, 12, 31), datetime.date(2911, 1, 1)])
def test_formatting_refuses_dates_that_do_not_fit(date: datetime.date) -> None:
    with pytest.raises(ValueError):
        format_roc_compact(date)


@given(ROC_DATES)
def test_compact_round_trip(date: datetime.date) -> None:
    assert parse_roc_date(format_roc_compact(date)) == date


@given(ROC_DATES)
def test_slash_round_trip(date: datetime.date) -> None:
    assert parse_roc_date(format_roc_slash(date)) == date


@given(ROC_DATES)
def test_text_round_trip(date: datetime.date) -> None:
    assert parse_roc_date(format_roc_text(date)) == date


@given(ROC_DATES)
def test_compact_form_is_seven_digits(date: datetime.date) -> None:
    text = format_roc_compact(date)
    assert len(text) == 7
    assert text.isascii() and text.isdigit()
