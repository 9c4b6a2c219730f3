from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cardreg.accounts import views

app_name = "accounts"


def _soon(route: str, name: str, title: Promise) -> URLPattern:
    return path(route, views.coming_soon, {"title": title}, name=name)


urlpatterns = [
    path("login", views.login, name="login"),
    path("logout", views.logout, name="logout"),
    path("services", views.services, name="services"),
    path("register", views.register, name="register"),
    path("register/card", views.register_card, name="register_card"),
    path("register/household", views.register_household, name="register_household"),
    path("register/details", views.register_details, name="register_details"),
    path("confirm", views.confirm, name="confirm"),
    _soon("resend", "resend", _("重寄確認信")),
    _soon("delete", "delete", _("刪除註冊申請")),
    _soon("forgot", "forgot", _("忘記註冊密碼")),
    _soon("guide", "guide", _("使用說明")),
    path(
        "services/change-data",
        views.coming_soon_card,
        {"title": _("帳號資料異動")},
        name="change_data",
    ),
    path(
        "services/change-password",
        views.coming_soon_card,
        {"title": _("註冊密碼變更")},
        name="change_password",
    ),
]
