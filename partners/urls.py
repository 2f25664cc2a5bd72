from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.OrganisationUpdateView.as_view(), name="organisation_update"),
    path("organisations/<int:pk>/history/", views.OrganisationHistoryView.as_view(), name="organisation_history"),
    path("grants/", views.GrantListView.as_view(), name="grant_list"),
    path("grants/new/", views.GrantCreateView.as_view(), name="grant_create"),
    path("grants/<int:pk>/edit/", views.GrantUpdateView.as_view(), name="grant_update"),
    path("grants/<int:pk>/history/", views.GrantHistoryView.as_view(), name="grant_history"),
    path("pilots/", views.PilotListView.as_view(), name="pilot_list"),
    path("pilots/new/", views.PilotCreateView.as_view(), name="pilot_create"),
    path("pilots/<int:pk>/", views.PilotDetailView.as_view(), name="pilot_detail"),
    path("pilots/<int:pk>/edit/", views.PilotUpdateView.as_view(), name="pilot_update"),
    path("pilots/<int:pk>/history/", views.PilotHistoryView.as_view(), name="pilot_history"),
]
