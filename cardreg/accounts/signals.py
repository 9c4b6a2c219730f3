"""What other apps may hook into without the accounts app importing them (they import it)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction of a 忘記註冊密碼 reset, with ``request`` and ``account``: the
# account may have been in other hands, so what they could have bound goes. Each receiver
# returns the names of what it revoked (a list of str), which the holder's mail lists.
account_recovered = Signal()
