from django.urls import path
from django.views.generic import TemplateView

from cardreg.accounts import activation_views, change_views, recovery_views, views

app_name = "accounts"


urlpatterns = [
    path("login", views.login, name="login"),
    path("logout", views.logout, name="logout"),
    path("services", views.services, name="services"),
    path("register", views.register, name="register"),
    path("register/card", views.register_card, name="register_card"),
    path("register/household", views.register_household, name="register_household"),
    path("register/details", views.register_details, name="register_details"),
    path("register/done", views.register_done, name="register_done"),
    path("confirm", views.confirm, name="confirm"),
    path("activate", activation_views.activate, name="activate"),
    path("resend", recovery_views.resend, name="resend"),
    path("delete", recovery_views.delete, name="delete"),
    path("delete/confirm", recovery_views.delete_confirm, name="delete_confirm"),
    path("forgot", recovery_views.forgot, name="forgot"),
    path("reset", recovery_views.reset, name="reset"),
    path("guide", TemplateView.as_view(template_name="accounts/guide.html"), name="guide"),
    path("services/change-data", change_views.change_data, name="change_data"),
    path("services/change-data/card", change_views.change_data_card, name="change_data_card"),
    path("services/change-password", change_views.change_password, name="change_password"),
    path("confirm-email", change_views.confirm_email_change, name="confirm_email_change"),
]
