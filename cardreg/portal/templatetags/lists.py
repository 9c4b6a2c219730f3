"""``{{ names|join_names }}``: a list joined with the active language's separator."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from cardreg import lists

register = template.Library()


@register.filter
def join_names(names: Iterable[object]) -> str:
    return lists.join_names(names)
