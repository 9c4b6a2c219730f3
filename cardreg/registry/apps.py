from django.apps import AppConfig
from django.core import checks


class RegistryConfig(AppConfig):
    name = "cardreg.registry"
    label = "registry"

    def ready(self) -> None:
        from cardreg.registry.checks import check_household_register

        checks.register(check_household_register)
