from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "cardreg.mail"
    label = "mail"
