"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path, re_path

from accounts.views import set_language
from casework.legacy import legacy_redirect
from employees.urls import urlpatterns as register_patterns
from people.urls import urlpatterns as person_patterns
from people.views import DataQualityView, home

urlpatterns = [
    path("", home, name="home"),
    path("datakwaliteit/", DataQualityView.as_view(), name="data_quality"),
    path("gebruiker/", include("accounts.urls")),
    path("personen/", include((register_patterns + person_patterns, "employees"))),
    path("evaluaties/", include("evaluations.urls")),
    path("trajecten/", include("trajectories.urls")),
    path("register/", include("partners.urls")),
    path("rapporten/", include("reports.urls")),
    # The language switch keeps a signed-in user's choice (accounts/language.py).
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("import/", include("imports.urls")),
    path("api/v1/", include("api.urls")),
    path("taken/", include("jobs.urls")),
    # Last: an earlier English address that matched nothing goes to its Dutch successor (casework/legacy.py).
    re_path(r"^(?P<path>.+)$", legacy_redirect),
]

# Errors answer with pages that need neither request context nor database (503 when it is unreachable).
handler500 = "accounts.views.server_error"
