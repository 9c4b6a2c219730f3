from django.urls import path

from cardreg.devices import views

app_name = "devices"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("<int:pk>/rename", views.rename, name="rename"),
    path("<int:pk>/revoke", views.revoke, name="revoke"),
    path("bind", views.bind, name="bind"),
    path("bind/card", views.bind_card, name="bind_card"),
    path("bind/options", views.bind_options, name="bind_options"),
    path("bind/verify", views.bind_verify, name="bind_verify"),
    path("signin", views.signin, name="signin"),
    path("signin/options", views.signin_options, name="signin_options"),
    path("signin/verify", views.signin_verify, name="signin_verify"),
]
