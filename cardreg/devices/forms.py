from __future__ import annotations

from django import forms

from cardreg.devices import messages as msg


class DeviceNameForm(forms.Form):
    name = forms.CharField(
        max_length=40,
        error_messages={"required": msg.NAME_REQUIRED, "max_length": msg.NAME_TOO_LONG},
    )
