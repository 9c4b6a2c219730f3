from django.urls import path

from cardreg.portal import views

app_name = "portal"
urlpatterns = [
    path("environment-check", views.environment_check, name="environment_check"),
    path("card-errors", views.card_errors, name="card_errors"),
    path("setup-guide", views.setup_guide, name="setup_guide"),
    path("downloads/<str:name>", views.agent_download, name="agent_download"),
    path("demo/people", views.demo_people_page, name="demo_people"),
]
