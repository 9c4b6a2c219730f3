from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "cardreg.devices"
    label = "devices"

    def ready(self) -> None:
        from cardreg.devices import checks  # noqa: F401 - registers the system check
