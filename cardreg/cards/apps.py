from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "cardreg.cards"
    label = "cards"
