from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cardreg.portal"
    label = "portal"
