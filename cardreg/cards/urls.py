from django.urls import path

from cardreg.cards import views

app_name = "cards"
urlpatterns = [
    path("challenge", views.challenge, name="challenge"),
    path("verify", views.verify, name="verify"),
]
