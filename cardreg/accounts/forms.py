"""Forms of the registration journey; every error says what to do, in the user's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from cardreg.accounts import messages as msg
from cardreg.accounts.models import Account
from cardreg.accounts.passwords import PersonalData, check_password
from cardreg.cards.models import Card, Person
from cardreg.lib.phones import PhoneError, parse_landline, parse_mobile
from cardreg.lib.text import to_half_width
from cardreg.problems import typed_phone_message
from cardreg.registry.household import is_valid_household_no, normalise_household_no

MICROSOFT_DOMAINS = ("hotmail.", "live.", "outlook.", "msn.")


def is_microsoft_mail(address: str) -> bool:
    domain = address.rpartition("@")[2].lower()
    return domain.startswith(MICROSOFT_DOMAINS)


def _required(**kwargs: Any) -> dict[str, Any]:
    return {"error_messages": {"required": msg.REQUIRED}, **kwargs}


# The labels name a field in the error summary (portal/templatetags/form_errors.py).
class HouseholdForm(forms.Form):
    household_no = forms.CharField(label=_("戶號"), max_length=16, **_required())
    county = forms.CharField(label=_("縣市"), max_length=16, **_required())
    township = forms.CharField(label=_("鄉鎮市區"), max_length=16, **_required())
    village = forms.CharField(label=_("村里"), max_length=16, **_required())
    neighbourhood = forms.IntegerField(
        label=_("鄰"),
        min_value=1,
        max_value=99,
        error_messages={
            "required": msg.REQUIRED,
            "invalid": msg.NEIGHBOURHOOD_INVALID,
            "min_value": msg.NEIGHBOURHOOD_INVALID,
            "max_value": msg.NEIGHBOURHOOD_INVALID,
        },
    )

    def clean_household_no(self) -> str:
        value = normalise_household_no(self.cleaned_data["household_no"])
        if not is_valid_household_no(value):
            raise ValidationError(msg.HOUSEHOLD_NO_INVALID)
        return value


HOUSEHOLD_FIELDS = tuple(HouseholdForm.base_fields)


def clean_email_address(raw: str) -> str:
    """An e-mail address as every form takes it: half-width, trimmed, well-formed (or empty)."""
    value = to_half_width(raw).strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(msg.EMAIL_INVALID) from None
    return value


class ContactForm(forms.Form):
    """Phones and e-mails: registration (SPEC §2.3 step 4) and 帳號資料異動 ask for the same."""

    phone_area = forms.CharField(max_length=4, required=False)
    phone_number = forms.CharField(label=_("聯絡電話"), max_length=12, required=False)
    phone_ext = forms.CharField(max_length=8, required=False)
    mobile = forms.CharField(label=_("行動電話"), max_length=20, **_required())
    email = forms.CharField(label=_("主要E-Mail"), max_length=254, **_required())
    email_backup = forms.CharField(label=_("備用E-Mail"), max_length=254, required=False)

    def clean_mobile(self) -> str:
        try:
            return parse_mobile(self.cleaned_data["mobile"]).number
        except PhoneError as error:
            raise ValidationError(typed_phone_message(error, mobile=True)) from None

    def clean_email(self) -> str:
        return clean_email_address(self.cleaned_data["email"])

    def clean_email_backup(self) -> str:
        return clean_email_address(self.cleaned_data["email_backup"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_phone(data)
        backup = data.get("email_backup")
        if backup and backup.lower() == str(data.get("email", "")).lower():
            self.add_error("email_backup", msg.EMAIL_SAME_AS_PRIMARY)
        return data

    def _clean_phone(self, data: dict[str, Any]) -> None:
        area, number, ext = (
            data.get(f"phone_{part}", "").strip() for part in ("area", "number", "ext")
        )
        if not (area or number or ext):
            data["phone"] = ""
            return
        text = f"{area}-{number}" + (f"#{ext}" if ext else "")
        try:
            data["phone"] = str(parse_landline(text))
        except PhoneError as error:
            self.add_error("phone_number", typed_phone_message(error, mobile=False))


def contact_initial(account: Account) -> dict[str, str]:
    """ContactForm's fields filled with the account's data (the landline split into its parts)."""
    main, _, ext = account.phone.partition("#")
    area, _, number = main.partition("-")
    return {
        "phone_area": area,
        "phone_number": number,
        "phone_ext": ext,
        "mobile": account.mobile,
        "email": account.email,
        "email_backup": account.email_backup,
    }


class NewPasswordForm(forms.Form):
    """A new registration password, typed twice, under the policy of passwords.py."""

    password = forms.CharField(
        label=_("註冊密碼"), strip=False, widget=forms.PasswordInput, **_required()
    )
    password_confirm = forms.CharField(
        label=_("再次確認密碼"), strip=False, widget=forms.PasswordInput, **_required()
    )

    def __init__(self, *args: Any, personal: PersonalData, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.personal = personal

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, confirm = data.get("password"), data.get("password_confirm")
        if password is None or confirm is None:
            return data
        problem = check_password(password, confirm, self.personal)
        if problem is not None:
            limits = {
                "min": settings.CARDREG_PASSWORD_MIN_LENGTH,
                "max": settings.CARDREG_PASSWORD_MAX_LENGTH,
            }
            field = "password_confirm" if problem == "mismatch" else "password"
            self.add_error(field, str(msg.PASSWORD_PROBLEMS[problem]) % limits)
        return data


def personal_data(person: Person) -> PersonalData:
    """What a person's password must not contain: ID, birth date, every card number."""
    numbers = tuple(Card.objects.filter(person=person).values_list("card_number", flat=True))
    return PersonalData(person.national_id, person.birth_date, numbers)


class DetailsForm(NewPasswordForm, ContactForm):
    """SPEC §2.3 step 4: password, phones and e-mails."""

    field_order = ("password", "password_confirm")  # as the page asks: the summary's order


class ChangePasswordForm(NewPasswordForm):
    field_order = ("current_password",)
    current_password = forms.CharField(
        label=_("目前的註冊密碼"), strip=False, widget=forms.PasswordInput, **_required()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Beside the current one, the error summary must say which password it means.
        self.fields["password"].label = _("新的註冊密碼")


class ResendForm(HouseholdForm):
    """重寄確認信: optionally, a corrected primary e-mail address, and then the 戶號 and
    戶籍鄉鎮里鄰 too (checked as registration checks them): holding a family member's card is
    not enough to send his link to another mailbox."""

    field_order = ("email",)
    email = forms.CharField(label=_("新的E-Mail"), max_length=254, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in HOUSEHOLD_FIELDS:
            self.fields[name].required = False

    def clean_email(self) -> str:
        return clean_email_address(self.cleaned_data["email"])

    def clean_household_no(self) -> str:
        return super().clean_household_no() if self.cleaned_data["household_no"] else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("email"):
            for name in HOUSEHOLD_FIELDS:
                if name not in self.errors and data.get(name) in ("", None):
                    self.add_error(name, msg.REQUIRED_FOR_NEW_EMAIL)
        return data
