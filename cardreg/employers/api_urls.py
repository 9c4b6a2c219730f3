"""The HR-system API: /api/v1/... (cardreg.employers.api; described by .openapi)."""

from django.urls import path, re_path

from cardreg.employers.api import gate, views

app_name = "api"

urlpatterns = [
    path("batches", views.batches, name="batches"),
    path("batches/<int:batch_id>", views.batch, name="batch"),
    path("batches/<int:batch_id>/results", views.results, name="results"),
    path("batches/<int:batch_id>/log", views.log, name="log"),
    path("openapi.json", views.openapi, name="openapi"),
    # Last: any other URL here is answered with the JSON 404, not the site's HTML page.
    re_path(r"", gate.not_found, name="not_found"),
]
