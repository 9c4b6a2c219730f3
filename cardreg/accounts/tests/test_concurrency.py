"""Two registrations for one person at the same moment → exactly one account."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import close_old_connections
from django.test import RequestFactory

from cardreg.accounts.actions import AlreadyRegistered, submit_registration
from cardreg.accounts.models import Account
from cardreg.cards.testing import make_signed_card
from cardreg.mail.models import OutboxMessage


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_make_one_account(settings: Any) -> None:
    settings.CARDREG_MAIL_TRANSPORT = "demo"
    person = make_signed_card().person
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        request = RequestFactory().post("/account/register/details")
        barrier.wait()
        try:
            submit_registration(
                request,
                person=person,
                password="Tw!2026strong",
                mobile="0912345678",
                phone="",
                email="a@example.tw",
                email_backup="",
            )
            outcomes.append("created")
        except AlreadyRegistered:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "refused"]
    assert Account.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
