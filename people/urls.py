"""The person-wide pages, served under persons/ in the `employees` namespace with the register's own
pages (config/urls.py)."""

from django.urls import path

from people import views

urlpatterns = [
    path("opzoeken/", views.PersonLookupView.as_view(), name="lookup"),
    path(
        "toegangslog/opzoekingen-zonder-traject/",
        views.LookupsWithoutTrajectoryView.as_view(),
        name="lookups_without_trajectory",
    ),
    path("<int:pk>/", views.EmployeeDetailView.as_view(), name="detail"),
    path("bewaartermijn/", views.retention, name="retention"),
]
