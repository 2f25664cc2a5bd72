"""Organisations, grants and sector pilots: lists for every role that may see them, edits for administrators."""

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN, ALL_ROLES, TRAJECTORY_USERS
from casework.views import CaseCreateView, CaseDetailView, CaseListView, CaseUpdateView, HistoryView
from partners.filters import GrantFilter, OrganisationFilter, PilotFilter
from partners.forms import GrantForm, OrganisationForm, PilotForm
from partners.models import Grant, Organisation, Pilot
from partners.tables import GrantTable, OrganisationTable, PilotTable


class OrganisationListView(CaseListView):
    model = Organisation
    roles = ALL_ROLES
    table_class = OrganisationTable
    filterset_class = OrganisationFilter
    create_url = reverse_lazy("partners:organisation_create")
    create_roles = ADMIN
    create_label = _("New organisation")


class OrganisationDetailView(CaseDetailView):
    model = Organisation
    roles = ALL_ROLES
    template_name = "partners/organisation_detail.html"


class OrganisationCreateView(CaseCreateView):
    model = Organisation
    roles = ADMIN
    form_class = OrganisationForm
    cancel_url = reverse_lazy("partners:organisation_list")

    def get_success_url(self):
        return reverse("partners:organisation_detail", args=[self.object.pk])


class OrganisationUpdateView(CaseUpdateView):
    model = Organisation
    roles = ADMIN
    form_class = OrganisationForm

    def get_success_url(self):
        return reverse("partners:organisation_detail", args=[self.object.pk])


class OrganisationHistoryView(HistoryView):
    model = Organisation
    roles = ADMIN


class GrantListView(CaseListView):
    model = Grant
    roles = TRAJECTORY_USERS
    select_related = ("call", "partner")
    table_class = GrantTable
    filterset_class = GrantFilter
    create_url = reverse_lazy("partners:grant_create")
    create_roles = ADMIN
    create_label = _("New grant")


class GrantCreateView(CaseCreateView):
    model = Grant
    roles = ADMIN
    form_class = GrantForm
    success_url = reverse_lazy("partners:grant_list")
    cancel_url = reverse_lazy("partners:grant_list")


class GrantUpdateView(CaseUpdateView):
    model = Grant
    roles = ADMIN
    form_class = GrantForm
    success_url = reverse_lazy("partners:grant_list")


class GrantHistoryView(HistoryView):
    model = Grant
    roles = ADMIN


class PilotListView(CaseListView):
    model = Pilot
    roles = ALL_ROLES
    table_class = PilotTable
    filterset_class = PilotFilter
    create_url = reverse_lazy("partners:pilot_create")
    create_roles = ADMIN
    create_label = _("New sector pilot")


class PilotDetailView(CaseDetailView):
    model = Pilot
    roles = ALL_ROLES
    prefetch_related = ("organisations",)
    template_name = "partners/pilot_detail.html"


class PilotCreateView(CaseCreateView):
    model = Pilot
    roles = ADMIN
    form_class = PilotForm

    def get_success_url(self):
        return reverse("partners:pilot_detail", args=[self.object.pk])


class PilotUpdateView(CaseUpdateView):
    model = Pilot
    roles = ADMIN
    form_class = PilotForm

    def get_success_url(self):
        return reverse("partners:pilot_detail", args=[self.object.pk])


class PilotHistoryView(HistoryView):
    model = Pilot
    roles = ADMIN
