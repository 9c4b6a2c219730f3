"""Checking the data rows: values, problems with their column and parameters, duplicates."""

import string

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import example, given
from hypothesis import strategies as st

from cardreg.employers.batchfile import (
    EmailProblem,
    RowProblem,
    RowProblemCode,
    RowResult,
    SourceRow,
    check_email,
    validate_row,
)
from cardreg.employers.batchfile.fastpath import (
    is_plain_landline,
    is_plain_mobile,
    is_plain_valid_id,
)
from cardreg.lib.national_id import IdProblem, check_national_id, make_national_id
from cardreg.lib.phones import PhoneError, PhoneProblem, parse_landline, parse_mobile

ID = "A123456789"
OTHER_ID = "B123456780"
EMAIL = "wang@example.com.tw"
MOBILE = "0912345678"


def check(*cells: str, number: int = 1, first_rows: dict[str, int] | None = None) -> RowResult:
    return validate_row(SourceRow(number, cells), {} if first_rows is None else first_rows)


def problems(result: RowResult) -> list[tuple[str | None, str, dict[str, str | int]]]:
    return [(p.column, p.code, dict(p.params)) for p in result.problems]


def test_a_valid_row_is_ok_with_normalised_values() -> None:
    result = check(f" {ID} ", "ｗａｎｇ@example.com.tw ", "0912-345-678", "(02) 1234-5678 分機 12")
    assert result == RowResult(1, ID, EMAIL, MOBILE, "02-12345678#12", ())
    assert result.ok


def test_the_landline_is_optional_and_missing_cells_are_empty() -> None:
    assert check(ID, EMAIL, MOBILE).ok
    assert check(ID, EMAIL, MOBILE, "").landline == ""
    assert problems(check(ID)) == [
        ("email", EmailProblem.EMPTY, {}),
        ("mobile", PhoneProblem.EMPTY, {}),
    ]


@pytest.mark.parametrize(
    ("national_id", "problem", "params"),
    [
        ("", IdProblem.EMPTY, {}),
        # No corrected ID: it would put the full ID into the log, the mail and the API.
        ("Ａ１２３４５６７８９", IdProblem.FULL_WIDTH, {}),
        ("a123456789", IdProblem.LOWER_CASE, {}),
        ("A1234 56789", IdProblem.SPACES, {}),
        ("A123456788", IdProblem.CHECKSUM, {}),
        ("A12345678", IdProblem.LENGTH, {}),
        ("=A123456789", IdProblem.LENGTH, {}),
    ],
)
def test_id_problems_come_from_the_lib_without_the_id(
    national_id: str, problem: IdProblem, params: dict[str, str]
) -> None:
    result = check(national_id, EMAIL, MOBILE)
    assert problems(result) == [("national_id", problem, params)]
    assert result.national_id == national_id.strip()  # kept as given, for the masked log line


def test_excel_dropped_leading_zeros_are_named_with_the_fix() -> None:
    result = check(ID, EMAIL, "912345678", "223456789")
    assert problems(result) == [
        ("mobile", PhoneProblem.LEADING_ZERO_DROPPED, {"suggestion": MOBILE}),
        ("landline", PhoneProblem.LEADING_ZERO_DROPPED, {"suggestion": "02-23456789"}),
    ]


def test_full_width_digits_are_converted_where_the_lib_converts_them() -> None:
    result = check(
        ID,
        "ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ．ｔｗ",
        "０９１２３４５６７８",
        "０２－１２３４５６７８",
    )
    assert result == RowResult(1, ID, EMAIL, MOBILE, "02-12345678", ())


@pytest.mark.parametrize(
    ("email", "problem"),
    [
        ("", EmailProblem.EMPTY),
        ("wang", EmailProblem.INVALID),
        ("wang@", EmailProblem.INVALID),
        ("wang@example", EmailProblem.INVALID),
        ("wang@@example.com", EmailProblem.INVALID),
        ("wang@[10.0.0.1]", EmailProblem.INVALID),
        ("wang@localhost", EmailProblem.INVALID),
        ('=HYPERLINK("http://evil")', EmailProblem.INVALID),
        ("a" * 243 + "@example.com", EmailProblem.TOO_LONG),
    ],
)
def test_email_problems(email: str, problem: EmailProblem) -> None:
    assert problems(check(ID, email, MOBILE)) == [("email", problem, {})]


@pytest.mark.parametrize(
    "cell",
    ["=cmd|' /C calc'!A0", "+886912345678+1", "@SUM(1+1)", "=1+1", "-2+3", "\t=1"],
)
def test_formula_like_cells_are_only_invalid_values(cell: str) -> None:
    result = check(cell, cell, cell, cell)
    assert [p.column for p in result.problems] == ["national_id", "email", "mobile", "landline"]


def test_a_repeated_id_fails_on_every_row_but_its_first() -> None:
    first_rows: dict[str, int] = {}
    results = [
        check(ID, EMAIL, MOBILE, number=1, first_rows=first_rows),
        check(OTHER_ID, EMAIL, MOBILE, number=2, first_rows=first_rows),
        check(f"{ID} ", "other@example.com", MOBILE, number=4, first_rows=first_rows),
        check(ID, EMAIL, MOBILE, number=5, first_rows=first_rows),
    ]
    assert [r.ok for r in results] == [True, True, False, False]
    duplicate = ("national_id", RowProblemCode.DUPLICATE, {"first_row": 1})
    assert problems(results[2]) == problems(results[3]) == [duplicate]


def test_the_first_row_of_an_id_counts_even_when_it_failed() -> None:
    first_rows: dict[str, int] = {}
    check(ID, "not-an-address", MOBILE, number=1, first_rows=first_rows)
    result = check(ID, EMAIL, MOBILE, number=2, first_rows=first_rows)
    assert problems(result) == [("national_id", RowProblemCode.DUPLICATE, {"first_row": 1})]


def test_a_row_with_more_than_four_columns_gets_one_problem() -> None:
    result = check(ID, EMAIL, MOBILE, "", "王小明", number=7)
    assert result == RowResult(
        7,
        ID,
        "",
        "",
        "",
        (RowProblem(None, RowProblemCode.COLUMN_COUNT, {"found": 5, "expected": 4}),),
    )


def test_every_problem_of_a_row_is_reported() -> None:
    result = check("A123456788", "wang", "0212345678", "0912345678")
    assert [(p.column, p.code) for p in result.problems] == [
        ("national_id", IdProblem.CHECKSUM),
        ("email", EmailProblem.INVALID),
        ("mobile", PhoneProblem.NOT_MOBILE),
        ("landline", PhoneProblem.NOT_LANDLINE),
    ]


def test_problem_codes_of_different_enums_are_told_apart_by_type() -> None:
    [id_problem, email_problem, _] = check("", "", "").problems
    assert id_problem.code == email_problem.code == "empty"  # the same string...
    assert isinstance(id_problem.code, IdProblem)  # ...but not the same problem
    assert isinstance(email_problem.code, EmailProblem)


# The short ways never disagree with the lib ---------------------------------------------------

id_like = st.one_of(
    st.builds(
        make_national_id,
        st.sampled_from(string.ascii_uppercase),
        st.sampled_from("1289ABCD"),
        st.text(string.digits, min_size=7, max_size=7),
    ),
    st.text("AZaz0189BDIO Ａ１-", min_size=8, max_size=12),
    st.from_regex(r"[A-Z][0-9A-Z][0-9]{8}", fullmatch=True),
)


@given(id_like)
@example("A123456789")
@example("A800000014")
@example("AA00000009")
@example("A123456788")
def test_the_short_way_for_ids_agrees_with_the_lib(value: str) -> None:
    assert is_plain_valid_id(value) is (check_national_id(value) is None)


@given(st.from_regex(r"0[0-9]{1,3}-[0-9]{4,9}(#[0-9]{0,7})?", fullmatch=True))
@example("03-7123456")
@example("037-123456")
@example("08-2612345")
@example("0826-12345")
def test_the_short_way_for_landlines_agrees_with_the_lib(text: str) -> None:
    if is_plain_landline(text):
        assert str(parse_landline(text)) == text


@given(st.from_regex(r"0?9?[0-9]{7,9}", fullmatch=True))
def test_the_short_way_for_mobiles_agrees_with_the_lib(text: str) -> None:
    if is_plain_mobile(text):
        assert parse_mobile(text).number == text
    else:
        with pytest.raises(PhoneError):
            parse_mobile(text)


def _django_accepts(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


address_like = st.one_of(
    st.emails(),
    st.from_regex(r"[a-z.\"\\ +-]{0,8}@[a-z0-9.-]{0,12}", fullmatch=True),
    st.builds("{}@{}.{}".format, st.text(max_size=6), st.text(max_size=8), st.text(max_size=4)),
)


@given(address_like)
@example("王小明@例子.台灣")
@example('"john doe"@example.com')
@example("a@b.c")
@example("a@b.xn--kpry57d")
def test_email_check_is_djangos_without_ip_literals_and_localhost(address: str) -> None:
    ours = check_email(address) is None
    if ours:
        assert _django_accepts(address)
    elif address and len(address) <= 254 and not address.endswith(("]", "@localhost")):
        assert not _django_accepts(address)
