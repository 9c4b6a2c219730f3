"""Device actions: bind, rename, revoke, sign in. Each changes state, queues its mail and writes
its audit event in one transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import auth
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from cardreg.accounts import throttle
from cardreg.accounts.middleware import AUTH_METHOD, LOGIN_AT
from cardreg.accounts.models import Account, AccountStatus
from cardreg.audit.actions import record_event
from cardreg.cards.actions import expected_origin
from cardreg.clientaddr import client_address
from cardreg.devices import passkeys
from cardreg.devices.access import PASSKEY_DEVICE
from cardreg.devices.models import Device
from cardreg.lib.masking import mask_national_id
from cardreg.mail.actions import queue_mail

SIGNIN_WINDOW = timedelta(days=1)


class DeviceLimitReached(Exception):
    pass


class BindFailed(Exception):
    """``reason``: expired (no challenge, an old one, or already used) or failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def active_devices(account: Account) -> list[Device]:
    return list(Device.objects.active().filter(account=account).order_by("created_at", "pk"))


def has_room(account: Account) -> bool:
    return Device.objects.active().filter(account=account).count() < settings.CARDREG_MAX_DEVICES


def _actor(account: Account) -> str:
    return mask_national_id(account.national_id)


def _manage_url() -> str:
    return settings.CARDREG_PUBLIC_URL.rstrip("/") + reverse("devices:manage")


def _queue_device_mail(account: Account, device: Device, template: str, when: datetime) -> None:
    queue_mail(
        to=account.email,
        template=template,
        context={
            "name": account.person.name,
            "device_name": device.name,
            "when": when,
            "manage_url": _manage_url(),
        },
        language=get_language() or settings.LANGUAGE_CODE,
        dedup_key=f"{template}:{device.pk}",
    )


def start_binding(request: HttpRequest, *, account: Account, name: str) -> dict[str, object]:
    """Registration options for a new passkey named ``name``; the challenge waits in the session."""
    if not has_room(account):
        raise DeviceLimitReached
    options, challenge = passkeys.registration_options(
        account_pk=account.pk,
        user_name=mask_national_id(account.national_id),
        display_name=account.person.name,
        exclude=[device.credential_id for device in active_devices(account)],
    )
    passkeys.remember_challenge(
        request.session, passkeys.REGISTRATION, challenge, account=account.pk, name=name
    )
    return options


def bind_device(request: HttpRequest, *, account: Account, credential: object) -> Device:
    """Verify the authenticator's answer to our challenge and save the device (within the limit)."""
    pending = passkeys.take_challenge(request.session, passkeys.REGISTRATION)
    if pending is None or pending.data.get("account") != account.pk:
        raise BindFailed("expired")
    try:
        new = passkeys.verify_registration(
            credential, challenge=pending.challenge, origin=expected_origin(request)
        )
    except passkeys.CeremonyFailed as exc:
        record_event("device.bind_failed", actor=_actor(account), request=request, reason=str(exc))
        raise BindFailed("failed") from exc
    now = timezone.now()
    with transaction.atomic():
        # Lock the account row: two tabs binding at once cannot both take the last place.
        Account.objects.select_for_update().filter(pk=account.pk).first()
        if not has_room(account):
            raise DeviceLimitReached
        device = Device(
            account=account,
            name=str(pending.data["name"]),
            credential_id=new.credential_id,
            public_key=new.public_key,
            sign_count=new.sign_count,
            transports=new.transports,
            user_handle=passkeys.stored_user_handle(account.pk),
            created_at=now,
        )
        try:
            with transaction.atomic():
                device.save()
        except IntegrityError:  # this credential is already bound
            raise BindFailed("failed") from None
        _queue_device_mail(account, device, "device_added", now)
        record_event(
            "device.added", actor=_actor(account), subject=f"device:{device.pk}", request=request
        )
    return device


def rename_device(request: HttpRequest, *, device: Device, name: str) -> None:
    with transaction.atomic():
        device.name = name
        device.save(update_fields=["name"])
        record_event(
            "device.renamed",
            actor=_actor(device.account),
            subject=f"device:{device.pk}",
            request=request,
        )


def revoke_device(request: HttpRequest, *, device: Device) -> None:
    """Revoke for good: the credential cannot sign in again, and the middleware ends sessions
    that signed in with it. Revoking twice changes nothing and mails nothing."""
    now = timezone.now()
    with transaction.atomic():
        changed = Device.objects.active().filter(pk=device.pk).update(revoked_at=now)
        if not changed:
            return
        device.revoked_at = now
        _queue_device_mail(device.account, device, "device_removed", now)
        record_event(
            "device.revoked",
            actor=_actor(device.account),
            subject=f"device:{device.pk}",
            request=request,
        )


def revoke_all_devices(request: HttpRequest, *, account: Account, reason: str) -> list[str]:
    """Revoke every active device of the account, inside the caller's transaction; their names,
    for the caller's one mail (no mail per device)."""
    devices = list(
        Device.objects.active()
        .select_for_update()
        .filter(account=account)
        .order_by("created_at", "pk")
    )
    Device.objects.filter(pk__in=[device.pk for device in devices]).update(
        revoked_at=timezone.now()
    )
    for device in devices:
        record_event(
            "device.revoked",
            actor=_actor(account),
            subject=f"device:{device.pk}",
            request=request,
            reason=reason,
        )
    return [device.name for device in devices]


def revoke_on_recovery(
    sender: object, *, request: HttpRequest, account: Account, **_: object
) -> list[str]:
    """accounts.signals.account_recovered: a 忘記註冊密碼 reset revokes every passkey."""
    return revoke_all_devices(request, account=account, reason="password_reset")


# --- passkey sign-in ------------------------------------------------------------------------


class SigninRefused(Exception):
    """``reason``: refused (one answer for unknown, revoked, inactive, bad proof) or wait."""

    def __init__(self, reason: str, wait: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.wait = reason, wait


def start_signin(request: HttpRequest) -> dict[str, object]:
    options, challenge = passkeys.authentication_options()
    passkeys.remember_challenge(request.session, passkeys.AUTHENTICATION, challenge)
    return options


def _refuse(request: HttpRequest, reason: str, device: Device | None = None) -> SigninRefused:
    throttle.fail(
        "passkey-ip",
        client_address(request),
        free=settings.CARDREG_LOGIN_FREE_FAILURES_PER_IP,
        window=SIGNIN_WINDOW,
        max_delay=settings.CARDREG_LOGIN_MAX_DELAY_SECONDS,
    )
    record_event(
        "device.signin_failed",
        actor=_actor(device.account) if device else "",
        subject=f"device:{device.pk}" if device else "",
        request=request,
        reason=reason,
    )
    return SigninRefused("refused")


def _device_problem(device: Device | None) -> str | None:
    if device is None:
        return "unknown credential"
    if device.revoked_at is not None:
        return "revoked"
    if device.account.status != AccountStatus.ACTIVE:
        return "account not active"
    return None


def _verified_device(request: HttpRequest, credential: object) -> tuple[Device, int]:
    """The device whose passkey answered this session's challenge, and its new sign count."""
    pending = passkeys.take_challenge(request.session, passkeys.AUTHENTICATION)
    if pending is None:
        raise _refuse(request, "no challenge")
    try:
        assertion = passkeys.parse_assertion(credential)
    except passkeys.CeremonyFailed as exc:
        raise _refuse(request, str(exc)) from exc
    device = (
        Device.objects.select_related("account__person")
        .filter(credential_id=passkeys.credential_id_of(assertion))
        .first()
    )
    problem = _device_problem(device)
    if device is None or problem:
        raise _refuse(request, problem or "", device)
    handle = passkeys.user_handle_of(assertion)
    if handle is not None and handle != device.user_handle:
        raise _refuse(request, "user handle", device)
    try:
        sign_count = passkeys.verify_assertion(
            assertion,
            challenge=pending.challenge,
            origin=expected_origin(request),
            public_key=bytes(device.public_key),
            sign_count=device.sign_count,
        )
    except passkeys.CeremonyFailed as exc:
        raise _refuse(request, str(exc), device) from exc
    return device, sign_count


def sign_in_with_device(request: HttpRequest, *, credential: object) -> Account:
    """A bound, unrevoked passkey of an active account, verified → a new login session."""
    wait = throttle.wait_seconds("passkey-ip", client_address(request))
    if wait:
        raise SigninRefused("wait", wait)
    device, sign_count = _verified_device(request, credential)
    now, account = timezone.now(), device.account
    with transaction.atomic():
        # Conditional: a device revoked while we verified does not sign in.
        used = Device.objects.active().filter(pk=device.pk)
        signed_in = bool(used.update(sign_count=sign_count, last_used_at=now))
        if signed_in:
            auth.login(request, account)  # a new session key: no session fixation
            request.session[LOGIN_AT] = now.isoformat()
            request.session[AUTH_METHOD] = "passkey"
            request.session[PASSKEY_DEVICE] = device.pk
            record_event(
                "device.signin",
                actor=_actor(account),
                subject=f"device:{device.pk}",
                request=request,
            )
    if not signed_in:
        raise _refuse(request, "revoked meanwhile", device)
    return account


def end_device_session(request: HttpRequest) -> None:
    """Log out a passkey session whose device was revoked (or whose account is not active)."""
    user = request.user
    record_event(
        "device.session_ended",
        actor=_actor(user) if isinstance(user, Account) else "",
        subject=f"device:{request.session.get(PASSKEY_DEVICE)}",
        request=request,
    )
    auth.logout(request)
