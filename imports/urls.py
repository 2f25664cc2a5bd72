from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("fouten/", views.rejected, name="rejected"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/bevestigen/", views.confirm, name="confirm"),
    path("<int:pk>/op-de-achtergrond/", views.confirm_background, name="confirm_background"),
    path("sjabloon/<slug:kind>.<str:fmt>", views.template, name="template"),
    path("<int:pk>/fouten.xlsx", views.error_report, name="error_report"),
]
