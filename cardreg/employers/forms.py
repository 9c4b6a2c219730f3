"""Forms of the employer pages: the upload's contact fields and the role form's fields.

Whether a role or a grant may be saved is the actions' decision (Refused); these only read
what the page sent.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cardreg.employers.actions import Refusal, RoleFields
from cardreg.employers.messages import (
    CONTACT_EMAIL_INVALID,
    CONTACT_NAME_TOO_LONG,
    FILE_REQUIRED,
    REQUIRED,
)
from cardreg.lib.text import to_half_width

CONTACT_NAME_MAX = 50  # Batch.contact_name
EMAIL_MAX = 254


class UploadForm(forms.Form):
    """健保卡註冊申請整批資料上傳: 聯絡人, 聯絡人E-Mail and the file (瀏覽檔案)."""

    # The labels name a field in the error summary (portal/templatetags/form_errors.py).
    contact_name = forms.CharField(
        label=_("聯絡人"),
        max_length=CONTACT_NAME_MAX,
        error_messages={
            "required": REQUIRED,
            "max_length": CONTACT_NAME_TOO_LONG,
        },
    )
    contact_email = forms.CharField(
        label=_("聯絡人E-Mail"),
        max_length=EMAIL_MAX,
        error_messages={"required": REQUIRED, "max_length": CONTACT_EMAIL_INVALID},
    )
    # An empty file passes here: accept_upload() says what is wrong with it, like any other.
    file = forms.FileField(allow_empty_file=True, error_messages={"required": FILE_REQUIRED})

    def clean_contact_email(self) -> str:
        value = to_half_width(self.cleaned_data["contact_email"]).strip()
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(CONTACT_EMAIL_INVALID) from None
        return value


def role_fields(data: QueryDict) -> RoleFields:
    """角色名稱, 說明 and the two check-boxes, as the role form sent them."""
    return RoleFields(
        name=data.get("name", ""),
        description=data.get("description", ""),
        can_upload=data.get("can_upload") == "on",
        can_query=data.get("can_query") == "on",
    )


# Which field of the role form or the grant form a refusal is shown next to.
REFUSAL_FIELDS: dict[Refusal, str] = {
    Refusal.ROLE_NAME_REQUIRED: "name",
    Refusal.ROLE_NAME_TOO_LONG: "name",
    Refusal.ROLE_NAME_TAKEN: "name",
    Refusal.ROLE_DESCRIPTION_TOO_LONG: "description",
    Refusal.ROLE_NO_RIGHTS: "rights",
    Refusal.INVALID_ID: "national_id",
    Refusal.CLERK_NOT_REGISTERED: "national_id",
    Refusal.ALREADY_GRANTED: "national_id",
    Refusal.NOT_GRANTED: "national_id",
}
