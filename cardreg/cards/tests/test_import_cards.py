"""The operator's card import: all rows checked first, one bad row imports nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import CommandError, call_command

from cardreg.cards.models import Card, CardStatus, Person
from cardreg.cards.testing import public_pem

HEADER = "card_number,national_id,name,birth_date,sex,issue_date,status,public_key\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "cards.csv"
    path.write_text(HEADER + body, encoding="utf-8-sig")
    return path


@pytest.mark.django_db
def test_cards_and_holders_are_imported_with_their_keys(tmp_path: Path) -> None:
    key = public_pem(ec.generate_private_key(ec.SECP256R1()))
    rows = (
        f'000012345678,A123456789,歐陽娜娜,1990-01-01,F,2016-07-13,,"{key}"\n'
        "000012345679,A800000014,林堃喆,2011-01-01,M,2020-02-02,lost,\n"
    )
    call_command("import_cards", str(write(tmp_path, rows)))
    card = Card.objects.select_related("person").get(card_number="000012345678")
    assert card.person.name == "歐陽娜娜"
    assert card.status == CardStatus.ACTIVE
    assert card.public_key_pem == key
    assert Card.objects.get(card_number="000012345679").status == CardStatus.LOST


@pytest.mark.django_db
def test_a_person_with_an_old_and_a_new_card_is_one_person(tmp_path: Path) -> None:
    rows = (
        "000012345678,A123456789,王小明,1990-01-01,M,2010-01-01,replaced,\n"
        "000012345679,A123456789,王小明,1990-01-01,M,2016-07-13,,\n"
    )
    call_command("import_cards", str(write(tmp_path, rows)))
    assert Person.objects.get().cards.count() == 2


@pytest.mark.django_db
def test_reimport_updates_instead_of_doubling(tmp_path: Path) -> None:
    path = write(tmp_path, "000012345678,A123456789,王小明,1990-01-01,M,2016-07-13,,\n")
    call_command("import_cards", str(path))
    path = write(tmp_path, "000012345678,A123456789,王小明,1990-01-01,M,2016-07-13,replaced,\n")
    call_command("import_cards", str(path))
    assert Person.objects.count() == 1
    assert Card.objects.get().status == CardStatus.REPLACED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("000012345678,A123456788,王小明,1990-01-01,M,2016-07-13,,", "line 3, national_id"),
        ("00001234567X,A123456789,王小明,1990-01-01,M,2016-07-13,,", "line 3, card_number"),
        ("000012345678,A123456789,王小明,79/01/01,M,2016-07-13,,", "line 3, birth_date"),
        ("000012345678,A123456789,王小明,1990-01-01,X,2016-07-13,,", "line 3, sex"),
        ("000012345678,A123456789,王小明,1990-01-01,M,2016-07-13,stolen,", "line 3, status"),
        ("000012345678,A123456789,王小明,1990-01-01,M,2016-07-13,,bm90IGEga2V5", "public_key"),
        ("000012345678,A123456789,王小明,1990-01-01,M", "line 3, row"),
        ("000012345670,A123456789,王小明,1990-01-01,M,2016-07-13,,", "appears twice"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_line_and_field(
    tmp_path: Path, row: str, expected: str
) -> None:
    good = "000012345670,A800000014,林堃喆,2011-01-01,M,2020-02-02,,\n"
    with pytest.raises(CommandError) as caught:
        call_command("import_cards", str(write(tmp_path, good + row + "\n")))
    assert expected in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    assert Card.objects.count() == 0
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_a_wrong_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    path.write_text("card,id\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="header"):
        call_command("import_cards", str(path))
