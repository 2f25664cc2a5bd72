from django.urls import path

from employees import views

app_name = "employees"

urlpatterns = [
    path("", views.EmployeeListView.as_view(), name="list"),
    path("new/", views.EmployeeCreateView.as_view(), name="create"),
    path("lookup/", views.PersonLookupView.as_view(), name="lookup"),
    path("access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("access-log/lookups-without-trajectory/", views.LookupsWithoutTrajectoryView.as_view(),
         name="lookups_without_trajectory"),
    path("<int:pk>/", views.EmployeeDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EmployeeUpdateView.as_view(), name="update"),
    path("<int:pk>/history/", views.EmployeeHistoryView.as_view(), name="history"),
    path("<int:pk>/access/", views.EmployeeAccessView.as_view(), name="access"),
    path("<int:employee_pk>/jobs/new/", views.EmploymentCreateView.as_view(), name="employment_create"),
    path("jobs/<int:pk>/edit/", views.EmploymentUpdateView.as_view(), name="employment_update"),
    path("jobs/<int:pk>/history/", views.EmploymentHistoryView.as_view(), name="employment_history"),
]
