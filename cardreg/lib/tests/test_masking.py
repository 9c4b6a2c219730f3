import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cardreg.lib.masking import mask_card_number, mask_email, mask_national_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A230845678", "A23084****"),
        (" A230845678 ", "A23084****"),
        ("", ""),
        ("   ", ""),
        ("A23", "****"),  # too short to show anything without showing it all
        ("A2308456", "A230****"),
        ("A230845678999", "A23084****"),
    ],
)
def test_mask_national_id(value: str, expected: str) -> None:
    assert mask_national_id(value) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("abcdef@example.com", "ab***@example.com"),
        ("ab@example.com", "a***@example.com"),
        ("a@example.com", "***@example.com"),
        ("@example.com", "***@example.com"),
        ("not-an-address", "no***"),
        ("", ""),
    ],
)
def test_mask_email(address: str, expected: str) -> None:
    assert mask_email(address) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("000012345678", "0000****5678"),
        ("12345678", "12****78"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_card_number(number: str, expected: str) -> None:
    assert mask_card_number(number) == expected


@given(st.text(min_size=10, max_size=10).filter(lambda text: text.strip() == text))
def test_a_ten_character_id_shows_its_first_six_and_four_stars(value: str) -> None:
    assert mask_national_id(value) == value[:6] + "****"


@given(st.text())
def test_masked_id_never_shows_more_than_six_characters(value: str) -> None:
    masked = mask_national_id(value)
    shown = masked.removesuffix("****")
    assert len(shown) <= 6
    assert value.strip().startswith(shown)
    assert masked == "" or masked.endswith("****")
    assert len(shown) < len(value.strip()) or not shown


@given(st.text(alphabet=string.digits, min_size=12, max_size=12))
def test_masked_card_number_hides_the_middle_four(number: str) -> None:
    assert mask_card_number(number) == number[:4] + "****" + number[8:]


@given(st.text(min_size=1), st.text())
def test_masked_email_never_shows_the_whole_local_part(local: str, domain: str) -> None:
    address = f"{local.strip()}@{domain.replace('@', '')}"
    shown = mask_email(address).split("***")[0]
    assert len(shown) < max(len(address.rpartition("@")[0].strip()), 1)
