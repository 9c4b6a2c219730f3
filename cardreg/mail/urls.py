from django.urls import path

from cardreg.mail import views

app_name = "mail"
urlpatterns = [
    path("demo/", views.demo_mailbox, name="demo_mailbox"),
    path("demo/<int:message_id>/", views.demo_message, name="demo_message"),
    path(
        "demo/<int:message_id>/attachments/<int:attachment_id>",
        views.demo_attachment,
        name="demo_attachment",
    ),
]
