from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("organisaties/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisaties/nieuw/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisaties/voorstellen/", views.OrganisationProposeView.as_view(), name="organisation_propose"),
    path("organisaties/voorgesteld/", views.ProposedOrganisationListView.as_view(), name="organisation_proposed"),
    path("organisaties/<int:pk>/bevestigen/", views.organisation_confirm, name="organisation_confirm"),
    path("organisaties/<int:pk>/samenvoegen/", views.OrganisationMergeView.as_view(), name="organisation_merge"),
    path("organisaties/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisaties/<int:pk>/bewerken/", views.OrganisationUpdateView.as_view(), name="organisation_update"),
    path("organisaties/<int:pk>/geschiedenis/", views.OrganisationHistoryView.as_view(), name="organisation_history"),
    path("subsidies/", views.GrantListView.as_view(), name="grant_list"),
    path("subsidies/nieuw/", views.GrantCreateView.as_view(), name="grant_create"),
    path("subsidies/<int:pk>/bewerken/", views.GrantUpdateView.as_view(), name="grant_update"),
    path("subsidies/<int:pk>/geschiedenis/", views.GrantHistoryView.as_view(), name="grant_history"),
    path("pilootprojecten/", views.PilotListView.as_view(), name="pilot_list"),
    path("pilootprojecten/nieuw/", views.PilotCreateView.as_view(), name="pilot_create"),
    path("pilootprojecten/<int:pk>/", views.PilotDetailView.as_view(), name="pilot_detail"),
    path("pilootprojecten/<int:pk>/bewerken/", views.PilotUpdateView.as_view(), name="pilot_update"),
    path("pilootprojecten/<int:pk>/geschiedenis/", views.PilotHistoryView.as_view(), name="pilot_history"),
]
