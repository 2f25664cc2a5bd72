"""The person register's own pages: the list, edits, jobs, history and the access log. The person's page
and the look-up read across the apps and live in people/urls.py; config/urls.py serves both under
persons/ in one namespace, `employees`."""

from django.urls import path

from employees import views

urlpatterns = [
    path("", views.EmployeeListView.as_view(), name="list"),
    path("nieuw/", views.EmployeeCreateView.as_view(), name="create"),
    path("toegangslog/", views.AccessLogView.as_view(), name="access_log"),
    path("<int:pk>/bewerken/", views.EmployeeUpdateView.as_view(), name="update"),
    path("<int:pk>/geschiedenis/", views.EmployeeHistoryView.as_view(), name="history"),
    path("<int:pk>/inzage/", views.EmployeeAccessView.as_view(), name="access"),
    path("<int:employee_pk>/jobs/nieuw/", views.EmploymentCreateView.as_view(), name="employment_create"),
    path("jobs/<int:pk>/bewerken/", views.EmploymentUpdateView.as_view(), name="employment_update"),
    path("jobs/<int:pk>/geschiedenis/", views.EmploymentHistoryView.as_view(), name="employment_history"),
]
