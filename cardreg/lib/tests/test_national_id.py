import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cardreg.lib.national_id import (
    IdProblem,
    check_national_id,
    checksum_digit,
    id_kind,
    is_valid_national_id,
    make_national_id,
    normalise_national_id,
)

# Written out from SPEC §5 on purpose, independently of the module, to serve as an oracle.
SPEC_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
SPEC_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 1, 1)


def spec_checksum_ok(value: str) -> bool:
    n = SPEC_LETTERS.index(value[0]) + 10
    second = value[1]
    d1 = (SPEC_LETTERS.index(second) + 10) % 10 if second.isalpha() else int(second)
    digits = [d1] + [int(c) for c in value[2:]]
    total = (
        (n // 10) * 1 + (n % 10) * 9 + sum(w * d for w, d in zip(SPEC_WEIGHTS, digits, strict=True))
    )
    return total % 10 == 0


seconds = st.sampled_from("1289ABCD")
bodies = st.text(alphabet=string.digits, min_size=7, max_size=7)
valid_ids = st.builds(make_national_id, st.sampled_from(string.ascii_uppercase), seconds, bodies)


@pytest.mark.parametrize("value", ["A123456789", "A800000014", "AA00000009"])
def test_spec_examples_are_valid(value: str) -> None:
    assert check_national_id(value) is None
    assert is_valid_national_id(value)


def test_spec_invalid_example_fails_the_checksum() -> None:
    assert check_national_id("A123456788") is IdProblem.CHECKSUM
    assert not is_valid_national_id("A123456788")


PROBLEM_EXAMPLES = [
    ("", IdProblem.EMPTY),
    ("   ", IdProblem.EMPTY),
    ("Ａ123456789", IdProblem.FULL_WIDTH),
    ("Ａ１２３４５６７８９", IdProblem.FULL_WIDTH),
    ("A123456789\u3000", IdProblem.FULL_WIDTH),  # ideographic space, typed by an IME
    (" A123456789", IdProblem.SPACES),
    ("A123 456789", IdProblem.SPACES),
    ("a123456789", IdProblem.LOWER_CASE),
    ("Aa00000009", IdProblem.LOWER_CASE),
    ("a12345", IdProblem.LOWER_CASE),  # the fixable problem first, even when more is wrong
    ("A12345678", IdProblem.LENGTH),
    ("A1234567890", IdProblem.LENGTH),
    ("1123456789", IdProblem.FIRST_LETTER),
    ("É123456789", IdProblem.FIRST_LETTER),
    ("A323456789", IdProblem.SECOND_CHAR),
    ("AE00000009", IdProblem.SECOND_CHAR),
    ("A12345678X", IdProblem.NOT_DIGITS),
    ("A1234567²9", IdProblem.NOT_DIGITS),  # str.isdigit() would have let this through
    ("A123456788", IdProblem.CHECKSUM),
]


@pytest.mark.parametrize(("value", "problem"), PROBLEM_EXAMPLES)
def test_check_names_the_problem(value: str, problem: IdProblem) -> None:
    assert check_national_id(value) is problem


def test_every_problem_has_an_example() -> None:
    assert {problem for _, problem in PROBLEM_EXAMPLES} == set(IdProblem)


def test_normalise_fixes_width_case_and_spaces() -> None:
    assert normalise_national_id(" ａ１２３４５６７８９\u3000") == "A123456789"
    assert normalise_national_id("a123 456 789") == "A123456789"


@pytest.mark.parametrize(
    ("value", "kind"),
    [("A123456789", "citizen"), ("A800000014", "resident_new"), ("AA00000009", "resident_old")],
)
def test_id_kind(value: str, kind: str) -> None:
    assert id_kind(value) == kind


def test_id_kind_refuses_an_invalid_id_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="not a valid") as raised:
        id_kind("A123456788")
    assert "A123456788" not in str(raised.value)


def test_letters_i_o_w_z_have_their_out_of_order_values() -> None:
    assert make_national_id("I", "1", "0000000") == "I100000003"  # I=34: 3 + 36 + 8 = 47
    assert make_national_id("O", "1", "0000000") == "O100000004"  # O=35: 3 + 45 + 8 = 56
    assert make_national_id("W", "1", "0000000") == "W100000001"  # W=32: 3 + 18 + 8 = 29
    assert make_national_id("Z", "1", "0000000") == "Z100000002"  # Z=33: 3 + 27 + 8 = 38


def test_checksum_digit_completes_the_spec_examples() -> None:
    assert checksum_digit("A12345678") == "9"
    assert checksum_digit("A80000001") == "4"
    assert checksum_digit("AA0000000") == "9"


@pytest.mark.parametrize("prefix", ["A1234567", "A3234567", "a12345678", "A1234567X", ""])
def test_checksum_digit_refuses_a_malformed_prefix(prefix: str) -> None:
    with pytest.raises(ValueError):
        checksum_digit(prefix)


def test_make_national_id_refuses_parts_of_the_wrong_size() -> None:
    with pytest.raises(ValueError):
        make_national_id("A1", "2", "345678")


def test_the_check_digit_misses_some_single_digit_changes() -> None:
    # The weights 8, 6, 4, 2 ignore a change by 5 and the weight 5 ignores any even change:
    # A123456789 with its 3 turned into an 8 is still "valid". Only the register can tell.
    assert is_valid_national_id("A128456789")


@given(valid_ids)
def test_generated_ids_are_valid_by_the_spec_formula(value: str) -> None:
    assert spec_checksum_ok(value)
    assert check_national_id(value) is None


@given(
    st.sampled_from(string.ascii_uppercase),
    seconds,
    st.text(alphabet=string.digits, min_size=8, max_size=8),
)
def test_validity_agrees_with_the_spec_formula(letter: str, second: str, digits: str) -> None:
    value = letter + second + digits
    assert is_valid_national_id(value) == spec_checksum_ok(value)


@given(valid_ids, st.integers(min_value=2, max_value=9), st.sampled_from(string.digits))
def test_changing_one_digit_is_caught_unless_the_weight_hides_it(
    value: str, position: int, digit: str
) -> None:
    assume(value[position] != digit)
    changed = value[:position] + digit + value[position + 1 :]
    delta = int(digit) - int(value[position])
    undetectable = SPEC_WEIGHTS[position - 1] * delta % 10 == 0
    assert check_national_id(changed) is (None if undetectable else IdProblem.CHECKSUM)


@given(valid_ids, st.integers(min_value=8, max_value=9), st.sampled_from(string.digits))
def test_changing_a_weight_one_digit_is_always_caught(
    value: str, position: int, digit: str
) -> None:
    assume(value[position] != digit)
    changed = value[:position] + digit + value[position + 1 :]
    assert check_national_id(changed) is IdProblem.CHECKSUM


@given(valid_ids, seconds)
def test_changing_the_second_character_to_another_of_its_sort_is_caught(
    value: str, second: str
) -> None:
    # Digit for digit (1/2/8/9) or letter for letter (A-D). Across the two sorts a change can go
    # unseen: B counts as 1, so AB23456789 is as valid as A123456789.
    assume(second != value[1] and second.isdigit() == value[1].isdigit())
    changed = value[0] + second + value[2:]
    assert check_national_id(changed) is IdProblem.CHECKSUM


def test_a_letter_second_character_can_stand_for_a_digit() -> None:
    assert is_valid_national_id("AB23456789")
