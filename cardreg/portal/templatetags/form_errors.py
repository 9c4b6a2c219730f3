"""Form errors every form page shows the same way (GOV.UK's error summary pattern).

After a failed submit the page opens with a summary whose entries link to the fields
(``{% error_summary %}``, focused by static/js/error-summary.js); each invalid field carries
``aria-invalid`` and is described by its own message (``{% field_attrs %}``, ``{% field_error %}``).
Pages give either a Django form or, like the role page, a mapping of field name to message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BoundField
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

# Keys of a mapping of errors that are about the whole form, not one field.
WHOLE_FORM = ("__all__", "form")

Errors = BaseForm | Mapping[str, str | Promise] | None
FieldOrMessage = BoundField | str | Promise | None


@dataclass(frozen=True)
class Entry:
    text: str
    anchor: str = ""  # the id of the field to fix; empty when no one field is at fault


def _labelled(label: object, message: str) -> str:
    # A bare "此欄必填。" means nothing in a list: the summary names the field.
    return _("%(label)s：%(message)s") % {"label": label, "message": message} if label else message


def _form_entries(form: BaseForm, anchors: Mapping[str, str]) -> list[Entry]:
    entries = []
    for name, field in form.fields.items():  # in the page's order, not the order of checking
        for message in form.errors.get(name, []):
            anchor = anchors.get(name) or form[name].id_for_label
            entries.append(Entry(_labelled(field.label, str(message)), anchor))
    entries += [Entry(str(message)) for message in form.non_field_errors()]
    return entries


def summary_entries(
    errors: Errors, error: str | Promise = "", error_for: str = "", **anchors: str
) -> list[Entry]:
    """The page's own message (about the field ``error_for``, if any), then each field's."""
    entries = [Entry(str(error), error_for)] if error else []
    if isinstance(errors, BaseForm):
        return entries + _form_entries(errors, anchors)
    for name, message in (errors or {}).items():
        anchor = "" if name in WHOLE_FORM else anchors.get(name, f"id_{name}")
        entries.append(Entry(str(message), anchor))
    return entries


@register.inclusion_tag("forms/error_summary.html")
def error_summary(
    errors: Errors = None, error: str | Promise = "", error_for: str = "", **anchors: str
) -> dict[str, object]:
    """``{% error_summary form error=error %}``; ``rights="id_can_upload"`` links a field name
    to another element than ``id_<name>``."""
    return {"entries": summary_entries(errors, error, error_for, **anchors)}


def _invalid(field: FieldOrMessage) -> bool:
    return bool(field.errors) if isinstance(field, BoundField) else bool(field)


def _input_id(field: FieldOrMessage, id: str) -> str:
    return id or (field.id_for_label if isinstance(field, BoundField) else "")


@register.simple_tag
def field_attrs(field: FieldOrMessage, *hints: str, id: str = "") -> SafeString:
    """An input's ``aria-describedby`` (its hints, then its error) and ``aria-invalid``:
    ``{% field_attrs form.mobile "mobile-hint" %}``, or, on a page whose errors are messages by
    field name, ``{% field_attrs errors.name id="id_name" %}``."""
    invalid = _invalid(field)
    described = [*hints, f"{_input_id(field, id)}-error"] if invalid else list(hints)
    attrs = [("aria-describedby", " ".join(described))] if described else []
    attrs += [("aria-invalid", "true")] if invalid else []
    return format_html_join("", ' {}="{}"', attrs)


@register.simple_tag
def field_error(field: FieldOrMessage, id: str = "") -> SafeString:
    """The field's own message, under it, with the id its ``aria-describedby`` points at."""
    if not _invalid(field):
        return SafeString()
    text = " ".join(str(m) for m in field.errors) if isinstance(field, BoundField) else field
    return format_html(
        '<span class="field-error" id="{}-error">{}</span>', _input_id(field, id), text
    )
