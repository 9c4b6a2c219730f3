"""Who may touch which device: the few checks every device page goes through."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from cardreg.accounts.models import Account, AccountStatus
from cardreg.devices.models import Device

# The device a passkey session signed in with (its primary key).
PASSKEY_DEVICE = "passkey_device"


def get_device_for_account(account: Account, pk: int) -> Device:
    """The account's own active device; anyone else's, or a revoked one, is simply not found."""
    device = Device.objects.active().select_related("account__person").filter(pk=pk).first()
    if device is None or device.account_id != account.pk:
        raise Http404
    return device


def passkey_session_is_valid(request: HttpRequest) -> bool:
    """The device this session signed in with is still bound to its (active) account."""
    device_id, account_id = request.session.get(PASSKEY_DEVICE), request.user.pk
    if not isinstance(device_id, int) or account_id is None:
        return False
    devices = Device.objects.active().filter(pk=device_id, account_id=account_id)
    return devices.filter(account__status=AccountStatus.ACTIVE).exists()
