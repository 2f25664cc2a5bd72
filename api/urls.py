"""/api/v1/: the resources (a router), the OpenAPI schema and its reference page (docs/api.md)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from api import reference, views

app_name = "api"

router = SimpleRouter()
router.register("lookups", views.LookupViewSet, basename="lookup")
router.register("persons", views.PersonViewSet, basename="person")
router.register("referrals", views.ReferralViewSet, basename="referral")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
router.register("trajectories", views.TrajectoryViewSet, basename="trajectory")
router.register("internships", views.InternshipViewSet, basename="internship")
router.register("jobs", views.JobViewSet, basename="job")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = [
    path("schema/", reference.SchemaView.as_view(), name="schema"),
    path("reference/", reference.reference_page, name="reference"),
    path("", include(router.urls)),
]
