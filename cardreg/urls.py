from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("cards/", include("cardreg.cards.urls")),
    path("", include("cardreg.portal.urls")),
]
