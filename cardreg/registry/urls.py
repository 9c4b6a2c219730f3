from django.urls import path

from cardreg.registry import views

app_name = "registry"
urlpatterns = [
    path("townships", views.township_choices, name="townships"),
    path("villages", views.village_choices, name="villages"),
]
