"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from accounts.views import home
from employees.urls import urlpatterns as register_patterns
from people.urls import urlpatterns as person_patterns

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("persons/", include((register_patterns + person_patterns, "employees"))),
    path("evaluations/", include("evaluations.urls")),
    path("trajectories/", include("trajectories.urls")),
    path("register/", include("partners.urls")),
    path("rapporten/", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("import/", include("imports.urls")),
]

# Errors answer with pages that need neither request context nor database (503 when it is unreachable).
handler500 = "accounts.views.server_error"
