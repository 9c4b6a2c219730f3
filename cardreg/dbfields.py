"""Model fields of our own."""

from __future__ import annotations

from typing import Any

from django.db import models


class RowIdAutoField(models.BigAutoField[int, int]):
    """A BigAutoField without SQLite's AUTOINCREMENT (PostgreSQL is unchanged: an identity).

    AUTOINCREMENT makes SQLite keep a counter table up to date on every insert, which costs
    about 40 % of inserting a row: a batch upload writes 100,000 mails, tokens and results. A
    plain INTEGER PRIMARY KEY still gives each new row the next number; it only may give the
    number of the highest deleted row again. So only for rows nothing outside their table refers
    to by id, or that are never deleted (not accounts: a session holds an account's id).
    """

    def db_type_suffix(self, connection: Any) -> str | None:
        if connection.vendor == "sqlite":
            return None
        suffix: str | None = super().db_type_suffix(connection)
        return suffix
