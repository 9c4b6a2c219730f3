"""The 57-byte basic-data record of the NHI card (SPEC §4): parser, and builder for virtual cards.

| offset | len | field        | encoding                                   |
|--------|-----|--------------|--------------------------------------------|
| 0      | 12  | card number  | ASCII digits                               |
| 12     | 20  | name         | Big5 (cp950, else big5hkscs), NUL-padded   |
| 32     | 10  | national ID  | ASCII                                      |
| 42     | 7   | birth date   | ROC YYYMMDD                                |
| 49     | 1   | sex          | ``M`` / ``F``                              |
| 50     | 7   | issue date   | ROC YYYMMDD                                |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cardagent.apdu import BASIC_DATA_LENGTH
from cardagent.codes import CardError, Code

ROC_EPOCH_OFFSET = 1911
NAME_BYTES = 20

_CARD_NUMBER = re.compile(r"[0-9]{12}")
# Citizen IDs (A123456789) and both resident-certificate formats (A800000014, AA00000009).
_NATIONAL_ID = re.compile(r"[A-Z][A-Z0-9][0-9]{8}")
_ROC_DATE = re.compile(r"[0-9]{7}")
_SEXES = ("M", "F")
# Names are decoded with cp950 first: it is what the cards are written in. Only big5hkscs has
# some rare name characters (堃 喆 峯), so it is the fallback, never the first choice.
_NAME_CODECS = ("cp950", "big5hkscs")


@dataclass(frozen=True)
class CardData:
    card_number: str
    name: str
    national_id: str
    birth_date: date
    sex: str
    issue_date: date


def parse_roc_date(text: str) -> date:
    """``0790101`` → 1990-01-01; ``1000101`` → 2011-01-01. ``ValueError`` if not a real date."""
    if not _ROC_DATE.fullmatch(text):
        raise ValueError("ROC date must be 7 digits YYYMMDD")
    roc_year = int(text[:3])
    if roc_year < 1:
        raise ValueError("ROC year must be 1 or later")
    return date(roc_year + ROC_EPOCH_OFFSET, int(text[3:5]), int(text[5:7]))


def format_roc_date(value: date) -> str:
    roc_year = value.year - ROC_EPOCH_OFFSET
    if not 1 <= roc_year <= 999:
        raise ValueError("date outside the ROC years a card can hold (民國1–999)")
    return f"{roc_year:03d}{value.month:02d}{value.day:02d}"


def decode_name(raw: bytes) -> str:
    # Big5 second bytes are never 0x00 or 0x20, so stripping padding bytes cannot cut a character.
    trimmed = raw.rstrip(b"\x00 ")
    if not trimmed or b"\x00" in trimmed:
        raise ValueError("name is empty or has NUL bytes inside")
    for codec in _NAME_CODECS:
        try:
            return trimmed.decode(codec)
        except UnicodeDecodeError:
            continue
    raise ValueError("name is not Big5 text")


def encode_name(name: str) -> bytes:
    """The card's name field: cp950 (big5hkscs for rare characters), NUL-padded to 20 bytes."""
    encoded = _encode_big5(name)
    if len(encoded) > NAME_BYTES:
        raise ValueError(f"name takes more than {NAME_BYTES} bytes in Big5")
    # A few big5hkscs codes mean other characters in cp950; a name the parser would read back
    # differently must not be written on a card.
    if decode_name(encoded) != name:
        raise ValueError("name does not read back the same from Big5")
    return encoded.ljust(NAME_BYTES, b"\x00")


def _encode_big5(name: str) -> bytes:
    for codec in _NAME_CODECS:
        try:
            return name.encode(codec)
        except UnicodeEncodeError:
            continue
    raise ValueError("name has characters that Big5 cannot hold")


def parse_basic_data(record: bytes) -> CardData:
    """Parse the record; anything malformed is :data:`Code.BASIC_DATA_MALFORMED` (8011)."""
    if len(record) != BASIC_DATA_LENGTH:
        raise CardError(Code.BASIC_DATA_MALFORMED, f"record is {len(record)} bytes, not 57")
    try:
        return _parse_fields(record)
    except ValueError as error:
        # The reason names the field, never its value: the record is personal data.
        raise CardError(Code.BASIC_DATA_MALFORMED, str(error)) from None


def _parse_fields(record: bytes) -> CardData:
    card_number = _ascii_field(record[0:12], _CARD_NUMBER, "card number")
    name = decode_name(record[12:32])
    national_id = _ascii_field(record[32:42], _NATIONAL_ID, "national ID")
    birth_date = _date_field(record[42:49], "birth date")
    sex = record[49:50].decode("ascii", "replace")
    if sex not in _SEXES:
        raise ValueError("sex must be M or F")
    issue_date = _date_field(record[50:57], "issue date")
    return CardData(card_number, name, national_id, birth_date, sex, issue_date)


def _ascii_field(raw: bytes, pattern: re.Pattern[str], field: str) -> str:
    text = raw.decode("ascii", "replace")
    if not pattern.fullmatch(text):
        raise ValueError(f"{field} is not in the card's format")
    return text


def _date_field(raw: bytes, field: str) -> date:
    try:
        return parse_roc_date(raw.decode("ascii", "replace"))
    except ValueError:
        raise ValueError(f"{field} is not a valid ROC date YYYMMDD") from None


def build_basic_data(card: CardData) -> bytes:
    """The 57 bytes a card holding ``card`` answers to READ BASIC DATA; ``ValueError`` if bad."""
    fields = [
        (card.card_number, _CARD_NUMBER, "card number"),
        (card.national_id, _NATIONAL_ID, "national ID"),
    ]
    for value, pattern, field in fields:
        if not pattern.fullmatch(value):
            raise ValueError(f"{field} is not in the card's format")
    if card.sex not in _SEXES:
        raise ValueError("sex must be M or F")
    return (
        card.card_number.encode("ascii")
        + encode_name(card.name)
        + card.national_id.encode("ascii")
        + format_roc_date(card.birth_date).encode("ascii")
        + card.sex.encode("ascii")
        + format_roc_date(card.issue_date).encode("ascii")
    )
