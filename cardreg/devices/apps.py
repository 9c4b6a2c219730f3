from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "cardreg.devices"
    label = "devices"
