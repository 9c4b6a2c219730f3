from django.urls import path
from django.utils.translation import gettext_lazy as _

from cardreg.accounts import views as account_views

app_name = "devices"
urlpatterns = [
    path("", account_views.coming_soon, {"title": _("行動裝置管理作業")}, name="manage"),
    path("bind", account_views.coming_soon, {"title": _("行動裝置認證")}, name="bind"),
]
