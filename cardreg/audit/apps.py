from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cardreg.audit"
    label = "audit"
