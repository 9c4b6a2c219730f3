"""Importing the card registry from an operator's CSV file.

Header: ``card_number,national_id,name,birth_date,sex,issue_date,status,public_key`` with ISO
dates; ``status`` is one of active / lost / replaced / cancelled (empty = active); ``public_key``
is a PEM or base64 DER P-256 public key, or empty for cards that cannot sign a challenge.
Every row is checked before anything is written, and the whole file is written in one
transaction: a file with one bad row changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction

from cardreg.bulk import chunked
from cardreg.cards.models import Card, CardStatus, Person
from cardreg.lib.national_id import check_national_id

HEADER = [
    "card_number",
    "national_id",
    "name",
    "birth_date",
    "sex",
    "issue_date",
    "status",
    "public_key",
]
CHUNK = 1000


@dataclass(frozen=True)
class CardRow:
    card_number: str
    national_id: str
    name: str
    birth_date: dt.date
    sex: str
    issue_date: dt.date
    status: str
    public_key_pem: str


class CardFileError(ValueError):
    """A problem in the file, with the line it is on (1 = the header)."""

    def __init__(self, line: int, field: str, problem: str) -> None:
        super().__init__(f"line {line}, {field}: {problem}")
        self.line, self.field, self.problem = line, field, problem


def normalise_public_key(text: str) -> str:
    """Return the key as PEM; raise ValueError unless it is an EC P-256 public key."""
    text = text.strip()
    if not text:
        return ""
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
    else:
        try:
            der = base64.b64decode(text, validate=True)
        except binascii.Error:
            raise ValueError("not PEM and not base64") from None
        key = serialization.load_der_public_key(der)
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise ValueError("not an EC P-256 public key")
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode("ascii")


def _date(line: int, field: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CardFileError(line, field, f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def parse_row(line: int, record: dict[str, str]) -> CardRow:
    card_number = record["card_number"].strip()
    if len(card_number) != 12 or not card_number.isdigit():
        raise CardFileError(line, "card_number", "must be 12 digits")
    national_id = record["national_id"].strip()
    problem = check_national_id(national_id)
    if problem is not None:
        raise CardFileError(line, "national_id", f"invalid ({problem})")
    name = record["name"].strip()
    if not 1 <= len(name) <= 20:
        raise CardFileError(line, "name", "must be 1 to 20 characters")
    sex = record["sex"].strip().upper()
    if sex not in ("M", "F"):
        raise CardFileError(line, "sex", "must be M or F")
    status = record["status"].strip() or CardStatus.ACTIVE
    if status not in CardStatus.values:
        raise CardFileError(line, "status", f"must be one of {', '.join(CardStatus.values)}")
    try:
        public_key_pem = normalise_public_key(record["public_key"])
    except ValueError as exc:
        raise CardFileError(line, "public_key", str(exc)) from None
    return CardRow(
        card_number=card_number,
        national_id=national_id,
        name=name,
        birth_date=_date(line, "birth_date", record["birth_date"].strip()),
        sex=sex,
        issue_date=_date(line, "issue_date", record["issue_date"].strip()),
        status=status,
        public_key_pem=public_key_pem,
    )


def read_rows(lines: Iterable[str]) -> Iterator[CardRow]:
    reader = csv.DictReader(lines)
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != HEADER:
        raise CardFileError(1, "header", f"must be exactly: {','.join(HEADER)}")
    seen: set[str] = set()
    for record in reader:
        if None in record or any(v is None for v in record.values()):
            raise CardFileError(reader.line_num, "row", f"must have {len(HEADER)} columns")
        row = parse_row(reader.line_num, record)
        if row.card_number in seen:
            raise CardFileError(reader.line_num, "card_number", "appears twice in the file")
        seen.add(row.card_number)
        yield row


def save_rows(rows: list[CardRow]) -> int:
    """Insert or update people and cards, all in one transaction."""
    with transaction.atomic():
        for chunk in chunked(rows, CHUNK):
            # One person may hold several cards (an old, replaced one and the new one).
            holders = {r.national_id: r for r in chunk}
            Person.objects.bulk_create(
                [
                    Person(
                        national_id=r.national_id, name=r.name, birth_date=r.birth_date, sex=r.sex
                    )
                    for r in holders.values()
                ],
                update_conflicts=True,
                unique_fields=["national_id"],
                update_fields=["name", "birth_date", "sex"],
            )
            ids = dict(
                Person.objects.filter(national_id__in=holders).values_list("national_id", "id")
            )
            Card.objects.bulk_create(
                [
                    Card(
                        card_number=r.card_number,
                        person_id=ids[r.national_id],
                        issue_date=r.issue_date,
                        status=r.status,
                        public_key_pem=r.public_key_pem,
                    )
                    for r in chunk
                ],
                update_conflicts=True,
                unique_fields=["card_number"],
                update_fields=["person", "issue_date", "status", "public_key_pem"],
            )
    return len(rows)
