"""Test helpers for the form-error markup every form page shares (templatetags/form_errors.py)."""

from __future__ import annotations

import re


def summary_links(page: str) -> list[tuple[str, str]]:
    """The error summary's entries that link to a field: (the field's id, the text)."""
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


def input_tag(page: str, input_id: str) -> str:
    """The opening tag of the input or select with this id."""
    tag = re.search(rf'<(?:input|select) [^>]*id="{input_id}"[^>]*>', page)
    if tag is None:
        raise LookupError(f"no input {input_id} in the page")
    return tag.group(0)
