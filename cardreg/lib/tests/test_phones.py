import string
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cardreg.lib.phones import (
    SUBSCRIBER_DIGITS,
    Landline,
    Mobile,
    PhoneError,
    PhoneProblem,
    parse_landline,
    parse_mobile,
)

mobiles = st.text(alphabet=string.digits, min_size=8, max_size=8).map(lambda rest: "09" + rest)
extensions = st.text(alphabet=string.digits, min_size=0, max_size=6)


@st.composite
def landlines(draw: st.DrawFn) -> Landline:
    area_code = draw(st.sampled_from(sorted(SUBSCRIBER_DIGITS)))
    length = draw(st.sampled_from(sorted(SUBSCRIBER_DIGITS[area_code])))
    first = draw(st.sampled_from("123456789"))
    rest = draw(st.text(alphabet=string.digits, min_size=length - 1, max_size=length - 1))
    number = first + rest
    # Real numbers never start with the digits of a longer area code (no 03-7…, it is 037).
    longer = [code for code in SUBSCRIBER_DIGITS if len(code) > len(area_code)]
    assume(not any((area_code + number).startswith(code) for code in longer))
    return Landline(area_code, number, draw(extensions))


def problem_of(parse: Callable[[str], object], text: str) -> PhoneProblem:
    with pytest.raises(PhoneError) as raised:
        parse(text)
    return raised.value.problem


@pytest.mark.parametrize(
    "text",
    [
        "0912345678",
        "0912-345-678",
        "0912 345 678",
        "+886 912 345 678",
        "+886-912-345678",
        "886912345678",
        "+886 0912 345 678",
        "０９１２－３４５－６７８",
    ],
)
def test_parse_mobile_accepts_the_usual_forms(text: str) -> None:
    assert parse_mobile(text) == Mobile("0912345678")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("02-12345678#1234", Landline("02", "12345678", "1234")),
        ("(02)12345678#123", Landline("02", "12345678", "123")),
        ("0212345678", Landline("02", "12345678")),
        ("(02) 2345-6789 分機 55", Landline("02", "23456789", "55")),
        ("02-23456789 轉 55", Landline("02", "23456789", "55")),
        ("02-23456789 ext. 55", Landline("02", "23456789", "55")),
        ("+886-2-2345-6789", Landline("02", "23456789")),
        ("886223456789", Landline("02", "23456789")),
        ("03-4567890", Landline("03", "4567890")),
        ("037-123456", Landline("037", "123456")),
        ("03-7123456", Landline("037", "123456")),  # same digits dialled: Miaoli
        ("04-22345678", Landline("04", "22345678")),  # Taichung, 8 digits
        ("04-7234567", Landline("04", "7234567")),  # Changhua, 7 digits
        ("049-2234567", Landline("049", "2234567")),
        ("07-1234567", Landline("07", "1234567")),
        ("089-123456", Landline("089", "123456")),
        ("082-312345", Landline("082", "312345")),
        ("0826-12345", Landline("0826", "12345")),
        ("0836-23456", Landline("0836", "23456")),
        ("０２－２３４５６７８９＃１２", Landline("02", "23456789", "12")),
    ],
)
def test_parse_landline_accepts_the_usual_forms(text: str, expected: Landline) -> None:
    assert parse_landline(text) == expected


def test_landline_prints_with_dash_and_hash() -> None:
    assert str(Landline("02", "12345678", "1234")) == "02-12345678#1234"
    assert str(Landline("037", "123456")) == "037-123456"


MOBILE_PROBLEMS = [
    ("", PhoneProblem.EMPTY),
    ("  - ", PhoneProblem.EMPTY),
    ("0912-345-67O", PhoneProblem.BAD_CHARACTERS),
    ("0912.345.678", PhoneProblem.BAD_CHARACTERS),
    ("09+12345678", PhoneProblem.BAD_CHARACTERS),
    ("+1 650 253 0000", PhoneProblem.FOREIGN_NUMBER),
    ("912345678", PhoneProblem.LEADING_ZERO_DROPPED),
    ("0212345678", PhoneProblem.NOT_MOBILE),
    ("02-12345678#12", PhoneProblem.NOT_MOBILE),
    ("1912345678", PhoneProblem.NOT_MOBILE),
    ("091234567", PhoneProblem.LENGTH),
    ("09123456789", PhoneProblem.LENGTH),
    ("0912345678#12", PhoneProblem.BAD_EXTENSION),
]
LANDLINE_PROBLEMS = [
    ("", PhoneProblem.EMPTY),
    ("#123", PhoneProblem.EMPTY),
    ("02-1234567a", PhoneProblem.BAD_CHARACTERS),
    ("+81 3 1234 5678", PhoneProblem.FOREIGN_NUMBER),
    ("2-12345678", PhoneProblem.LEADING_ZERO_DROPPED),
    ("212345678", PhoneProblem.LEADING_ZERO_DROPPED),
    ("0912345678", PhoneProblem.NOT_LANDLINE),
    ("2345-6789", PhoneProblem.MISSING_AREA_CODE),  # a Taipei number written without 02
    ("01-2345678", PhoneProblem.UNKNOWN_AREA_CODE),
    ("0800-123-456", PhoneProblem.UNKNOWN_AREA_CODE),  # toll-free, not a place
    ("070-1234-5678", PhoneProblem.UNKNOWN_AREA_CODE),  # VoIP, not a place
    ("02-1234567", PhoneProblem.LENGTH),
    ("03-45678901", PhoneProblem.LENGTH),
    ("0826-123456", PhoneProblem.LENGTH),
    ("02-12345678#", PhoneProblem.BAD_EXTENSION),
    ("02-12345678#1234567", PhoneProblem.BAD_EXTENSION),
    ("02-12345678#12a", PhoneProblem.BAD_EXTENSION),
    ("02-12345678#12#3", PhoneProblem.BAD_EXTENSION),
]


@pytest.mark.parametrize(("text", "problem"), MOBILE_PROBLEMS)
def test_parse_mobile_names_the_problem(text: str, problem: PhoneProblem) -> None:
    assert problem_of(parse_mobile, text) is problem


@pytest.mark.parametrize(("text", "problem"), LANDLINE_PROBLEMS)
def test_parse_landline_names_the_problem(text: str, problem: PhoneProblem) -> None:
    assert problem_of(parse_landline, text) is problem


def test_every_problem_has_an_example() -> None:
    covered = {problem for _, problem in MOBILE_PROBLEMS + LANDLINE_PROBLEMS}
    assert covered == set(PhoneProblem)


def test_dropped_leading_zero_comes_with_the_fix() -> None:
    with pytest.raises(PhoneError) as raised:
        parse_landline("212345678#99")
    assert raised.value.suggestion == "02-12345678#99"


def test_other_problems_come_without_a_suggestion() -> None:
    with pytest.raises(PhoneError) as raised:
        parse_mobile("0212345678")
    assert raised.value.suggestion is None


def test_phone_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_mobile("abc")


@given(mobiles)
def test_mobile_round_trip(number: str) -> None:
    mobile = parse_mobile(number)
    assert str(mobile) == number
    assert parse_mobile(str(mobile)) == mobile
    assert parse_mobile(f"{number[:4]}-{number[4:7]}-{number[7:]}") == mobile
    assert parse_mobile(f"+886 {number[1:]}") == mobile


@given(mobiles)
def test_mobile_without_its_leading_zero_is_recognised(number: str) -> None:
    with pytest.raises(PhoneError) as raised:
        parse_mobile(number[1:])
    assert raised.value.problem is PhoneProblem.LEADING_ZERO_DROPPED
    assert raised.value.suggestion == number


@given(landlines())
def test_landline_round_trip(landline: Landline) -> None:
    assert parse_landline(str(landline)) == landline
    hash_extension = f"#{landline.extension}" if landline.extension else ""
    digits_only = landline.area_code + landline.number + hash_extension
    assert parse_landline(digits_only) == landline
    international = f"+886 {landline.area_code[1:]} {landline.number}{hash_extension}"
    assert parse_landline(international) == landline


@given(landlines())
def test_landline_without_its_leading_zero_is_recognised(landline: Landline) -> None:
    with pytest.raises(PhoneError) as raised:
        parse_landline(str(landline)[1:])
    assert raised.value.problem is PhoneProblem.LEADING_ZERO_DROPPED
    assert raised.value.suggestion == str(landline)


@given(landlines())
def test_a_landline_is_never_taken_for_a_mobile(landline: Landline) -> None:
    with pytest.raises(PhoneError):
        parse_mobile(landline.area_code + landline.number)
