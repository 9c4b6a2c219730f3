from django.urls import include, path

from cardreg.accounts import views as accounts_views
from cardreg.portal import site_pages

handler400 = site_pages.bad_request
handler403 = site_pages.permission_denied
handler404 = site_pages.page_not_found
handler500 = site_pages.server_error

urlpatterns = [
    path("favicon.ico", site_pages.favicon),
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
