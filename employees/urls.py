"""The person register's own pages: the list, edits, jobs, history and the access log. The person's page
and the look-up read across the apps and live in people/urls.py; config/urls.py serves both under
persons/ in one namespace, `employees`."""

from django.urls import path

from employees import views

urlpatterns = [
    path("", views.EmployeeListView.as_view(), name="list"),
    path("new/", views.EmployeeCreateView.as_view(), name="create"),
    path("access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("<int:pk>/edit/", views.EmployeeUpdateView.as_view(), name="update"),
    path("<int:pk>/history/", views.EmployeeHistoryView.as_view(), name="history"),
    path("<int:pk>/access/", views.EmployeeAccessView.as_view(), name="access"),
    path("<int:employee_pk>/jobs/new/", views.EmploymentCreateView.as_view(), name="employment_create"),
    path("jobs/<int:pk>/edit/", views.EmploymentUpdateView.as_view(), name="employment_update"),
    path("jobs/<int:pk>/history/", views.EmploymentHistoryView.as_view(), name="employment_history"),
]
