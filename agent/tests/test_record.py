"""The 57-byte basic-data record: offsets, Big5 names, ROC dates, and what counts as malformed."""

from __future__ import annotations

from datetime import date

import pytest
from cardagent.codes import CardError, Code
from cardagent.record import (
    CardData,
    build_basic_data,
    encode_name,
    format_roc_date,
    parse_basic_data,
    parse_roc_date,
)
from cardagent.testing import make_card_data
from hypothesis import given
from hypothesis import strategies as st

RECORD = (
    b"000012345678"
    + "王小明".encode("cp950").ljust(20, b"\x00")
    + b"A123456789"
    + b"0790101"
    + b"M"
    + b"1050713"
)


def _common_hanzi() -> list[str]:
    # Characters both codecs encode the same way: the bulk of real names.
    chars = []
    for point in range(0x4E00, 0xA000):
        char = chr(point)
        try:
            if char.encode("cp950") == char.encode("big5hkscs"):
                chars.append(char)
        except UnicodeEncodeError:
            continue
    return chars


HANZI = _common_hanzi()
RARE = ["堃", "喆", "峯"]  # only big5hkscs has them

names = st.lists(st.sampled_from(HANZI + RARE * 50), min_size=2, max_size=10).map("".join)
roc_dates = st.dates(min_value=date(1912, 1, 1), max_value=date(2910, 12, 31))
card_datas = st.builds(
    CardData,
    card_number=st.from_regex(r"\A[0-9]{12}\Z"),
    name=names,
    national_id=st.from_regex(r"\A[A-Z][12ABCD89][0-9]{8}\Z"),
    birth_date=roc_dates,
    sex=st.sampled_from(["M", "F"]),
    issue_date=roc_dates,
)


def test_parses_every_field_at_its_offset() -> None:
    card = parse_basic_data(RECORD)
    assert card == CardData(
        "000012345678", "王小明", "A123456789", date(1990, 1, 1), "M", date(2016, 7, 13)
    )


@given(card_datas)
def test_builder_and_parser_round_trip(card: CardData) -> None:
    record = build_basic_data(card)
    assert len(record) == 57
    assert parse_basic_data(record) == card


@pytest.mark.parametrize(
    "name", ["林堃喆", "歐陽娜娜", "范姜峯", "司馬中原", "王五", "徐碁銹", "葉裏恒", "許功蓋"]
)
def test_names_with_compound_surnames_and_rare_characters_round_trip(name: str) -> None:
    card = make_card_data(name=name)
    assert parse_basic_data(build_basic_data(card)).name == name


def test_rare_characters_are_read_as_big5hkscs() -> None:
    field = "林堃喆".encode("big5hkscs").ljust(20, b"\x00")
    record = RECORD[:12] + field + RECORD[32:]
    assert parse_basic_data(record).name == "林堃喆"


def test_ten_character_name_fills_the_field_without_padding() -> None:
    name = "歐陽娜娜歐陽娜娜王明"
    assert len(encode_name(name)) == 20
    assert parse_basic_data(build_basic_data(make_card_data(name=name))).name == name


def test_name_padded_with_spaces_is_trimmed() -> None:
    field = "王小明".encode("cp950") + b"  " + b"\x00" * 12
    record = RECORD[:12] + field + RECORD[32:]
    assert parse_basic_data(record).name == "王小明"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0790101", date(1990, 1, 1)),
        ("1000101", date(2011, 1, 1)),
        ("0010101", date(1912, 1, 1)),
        ("1130229", date(2024, 2, 29)),
    ],
)
def test_roc_dates_including_years_after_100(text: str, expected: date) -> None:
    assert parse_roc_date(text) == expected
    assert format_roc_date(expected) == text


def test_birth_date_after_roc_100_in_a_record() -> None:
    record = RECORD[:42] + b"1000101" + RECORD[49:]
    assert parse_basic_data(record).birth_date == date(2011, 1, 1)


@pytest.mark.parametrize(
    "record",
    [
        RECORD[:56],  # too short
        RECORD + b"\x00",  # too long
        b"00001234567X" + RECORD[12:],  # card number not digits
        RECORD[:12] + b"\x00" * 20 + RECORD[32:],  # empty name
        RECORD[:12] + b"\xff\xff" + b"\x00" * 18 + RECORD[32:],  # name not Big5
        RECORD[:12] + "王".encode("cp950") + b"\x00A" + b"\x00" * 16 + RECORD[32:],  # NUL inside
        RECORD[:32] + b"a123456789" + RECORD[42:],  # national ID lower case
        RECORD[:42] + b"0791301" + RECORD[49:],  # month 13
        RECORD[:42] + b"0000101" + RECORD[49:],  # ROC year 0
        RECORD[:42] + b"07901 1" + RECORD[49:],  # not digits
        RECORD[:49] + b"X" + RECORD[50:],  # sex
        RECORD[:50] + b"1050230",  # 30 February
    ],
)
def test_malformed_records_are_8011(record: bytes) -> None:
    with pytest.raises(CardError) as raised:
        parse_basic_data(record)
    assert raised.value.code == Code.BASIC_DATA_MALFORMED
    assert raised.value.detail  # says which field, for the log


def test_malformed_reason_does_not_echo_the_personal_data() -> None:
    record = RECORD[:42] + b"0791301" + RECORD[49:]
    with pytest.raises(CardError) as raised:
        parse_basic_data(record)
    assert "0791301" not in raised.value.detail
    assert "birth date" in raised.value.detail


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "王" * 11},  # 22 bytes
        {"name": "王😀"},  # not in Big5
        {"name": "王小明 "},  # would not read back the same
        {"name": "А王"},  # Cyrillic: big5hkscs code that cp950 reads as another character
        {"card_number": "12345"},
        {"national_id": "A12345678"},
        {"sex": "X"},
        {"birth_date": date(1911, 12, 31)},  # before 民國1
    ],
)
def test_builder_refuses_what_a_card_cannot_hold(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        build_basic_data(make_card_data(**changes))
