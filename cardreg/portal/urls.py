from django.urls import path

from cardreg.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("environment-check", views.environment_check, name="environment_check"),
    path("card-errors", views.card_errors, name="card_errors"),
]
