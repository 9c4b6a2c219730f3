"""Helpers of the employer page tests: registered people with cards, logging in, the cast."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

from django.test import Client

from cardreg.accounts.models import Account, AccountStatus
from cardreg.cards.models import Person
from cardreg.cards.testing import SignedCard, make_signed_card
from cardreg.employers.models import InsuranceUnit, RoleGrant
from cardreg.employers.tests.conftest import ADMIN_ID, CLERK_ID, OTHER_ID, make_grant

PASSWORD = "Tw!2026strong"
CLERK2_ID = "C100000012"
UPLOAD_ONLY_ID = "D100000022"
QUERY_ONLY_ID = "E100000032"
OUTSIDER_ID = "H100000062"  # registered, no right anywhere


def registered(
    national_id: str, name: str = "王承辦", email: str = "clerk@example.tw"
) -> SignedCard:
    """A person with a card and an active account (password PASSWORD)."""
    person = Person.objects.create(
        national_id=national_id, name=name, birth_date=dt.date(1985, 3, 4), sex="M"
    )
    Account.objects.create_user(
        national_id,
        PASSWORD,
        person=person,
        mobile="0912345678",
        email=email,
        status=AccountStatus.ACTIVE,
    )
    return make_signed_card(person=person)


def employer_login(card: SignedCard, client: Client | None = None) -> Client:
    """What the employer login page does: prove the card, then card + password."""
    client = client or Client()
    card.prove(client)
    response = client.post("/employer/login", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def text(response: Any) -> str:
    """The page as the user reads it: the markup's text, tags and CSRF tokens removed."""
    content = re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content)))


@dataclass
class Cast:
    """Everyone an access case needs, in unit 133397421 unless the name says otherwise."""

    unit: InsuranceUnit
    other_unit: InsuranceUnit  # 120000000, administered by other_admin
    admin: SignedCard  # the unit's administrator
    clerk: SignedCard  # upload + query
    clerk2: SignedCard  # upload + query
    upload_only: SignedCard
    query_only: SignedCard
    other_admin: SignedCard
    outsider: SignedCard
    clerk_grant: RoleGrant

    def client(self, card: SignedCard) -> Client:
        return employer_login(card)


def make_cast(unit: InsuranceUnit, other_unit: InsuranceUnit) -> Cast:
    names = {
        ADMIN_ID: "陳管理",
        CLERK_ID: "王承辦",
        CLERK2_ID: "李承辦",
        UPLOAD_ONLY_ID: "張上傳",
        QUERY_ONLY_ID: "林查詢",
        OTHER_ID: "吳他單位",
        OUTSIDER_ID: "周路人",
    }
    cards = {national_id: registered(national_id, name) for national_id, name in names.items()}
    grant = make_grant(unit, CLERK_ID, can_upload=True, can_query=True)
    RoleGrant.objects.create(role=grant.role, national_id=CLERK2_ID)
    make_grant(unit, UPLOAD_ONLY_ID, can_upload=True, can_query=False)
    make_grant(unit, QUERY_ONLY_ID, can_upload=False, can_query=True)
    return Cast(
        unit=unit,
        other_unit=other_unit,
        admin=cards[ADMIN_ID],
        clerk=cards[CLERK_ID],
        clerk2=cards[CLERK2_ID],
        upload_only=cards[UPLOAD_ONLY_ID],
        query_only=cards[QUERY_ONLY_ID],
        other_admin=cards[OTHER_ID],
        outsider=cards[OUTSIDER_ID],
        clerk_grant=grant,
    )
