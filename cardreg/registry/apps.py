from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "cardreg.registry"
    label = "registry"
