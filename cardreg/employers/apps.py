from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "cardreg.employers"
    label = "employers"
