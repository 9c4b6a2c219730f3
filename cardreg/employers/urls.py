"""The employer portal (多憑證網路承保作業): /employer/..."""

from django.urls import path  # noqa: F401

app_name = "employers"

urlpatterns: list = []
