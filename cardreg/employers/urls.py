"""The employer portal (多憑證網路承保作業): /employer/..."""

from django.urls import path

from cardreg.employers import views, views_batches, views_roles

app_name = "employers"

urlpatterns = [
    path("login", views.login, name="login"),
    path("", views.home, name="home"),
    path("<str:code>/", views.unit_menu, name="unit"),
    # 角色管理
    path("<str:code>/roles", views_roles.roles, name="roles"),
    path("<str:code>/roles/new", views_roles.role_new, name="role_new"),
    path("<str:code>/roles/<int:pk>", views_roles.role_edit, name="role"),
    path("<str:code>/roles/<int:pk>/delete", views_roles.role_delete, name="role_delete"),
    path("<str:code>/roles/<int:pk>/grants", views_roles.role_grant, name="role_grant"),
    path(
        "<str:code>/roles/<int:pk>/grants/<int:grant>/revoke",
        views_roles.role_revoke,
        name="role_revoke",
    ),
    # 健保卡註冊申請整批資料上傳
    path("<str:code>/upload", views_batches.upload, name="upload"),
    path("<str:code>/example.csv", views_batches.example, name="example"),
    path("<str:code>/uploads/<int:pk>", views_batches.preview_page, name="preview"),
    path("<str:code>/uploads/<int:pk>/submit", views_batches.submit_upload, name="submit"),
    path("<str:code>/uploads/<int:pk>/cancel", views_batches.cancel_upload, name="cancel"),
    # 健保卡註冊申請上傳紀錄查詢, a batch's status and downloads
    path("<str:code>/batches", views_batches.history, name="history"),
    path("<str:code>/batches/<int:pk>", views_batches.batch_status, name="batch"),
    path("<str:code>/batches/<int:pk>/progress", views_batches.batch_progress, name="progress"),
    path("<str:code>/batches/<int:pk>/log", views_batches.batch_log, name="log"),
    path("<str:code>/batches/<int:pk>/results.csv", views_batches.batch_results, name="results"),
]
