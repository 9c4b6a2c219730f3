from django.urls import include, path

from cardreg.accounts import views as accounts_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("cards/", include("cardreg.cards.urls")),
    path("registry/", include("cardreg.registry.urls")),
    path("mail/", include("cardreg.mail.urls")),
    path("account/", include("cardreg.accounts.urls")),
    path("account/devices/", include("cardreg.devices.urls")),
    path("employer/", include("cardreg.employers.urls")),
    path("api/v1/", include("cardreg.employers.api_urls")),
    # The system's home page is its login page (SPEC §2.2).
    path("", accounts_views.login, name="home"),
    path("", include("cardreg.portal.urls")),
]
