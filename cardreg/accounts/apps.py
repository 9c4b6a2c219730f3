from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cardreg.accounts"
    label = "accounts"
