from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "cardreg.devices"
    label = "devices"

    def ready(self) -> None:
        from cardreg.accounts.signals import account_recovered
        from cardreg.devices import checks  # noqa: F401 - registers the system check
        from cardreg.devices.actions import revoke_on_recovery

        account_recovered.connect(revoke_on_recovery, dispatch_uid="devices.revoke_on_recovery")
