"""Organisations, grants and sector pilots: lists for every role that may see them, edits for administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from accounts import access
from accounts.roles import ADMIN, ALL_ROLES, TRAJECTORY_USERS
from casework.views import (
    CaseCreateView,
    CaseDetailView,
    CaseFormView,
    CaseListView,
    CaseUpdateView,
    HistoryView,
    ReadOnlyRequestMixin,
    RoleRequiredMixin,
)
from partners import services
from partners.filters import GrantFilter, OrganisationFilter, PilotFilter
from partners.forms import GrantForm, OrganisationForm, OrganisationMergeForm, OrganisationProposalForm, PilotForm
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


class OrganisationProposeView(CaseFormView):
    """A partner adds a host company or employer not found in the register; usable at once."""

    roles = TRAJECTORY_USERS
    form_class = OrganisationProposalForm
    title = _("Propose an organisation")

    def next_url(self):
        url = self.request.GET.get("next", "")
        if url and url_has_allowed_host_and_scheme(url, {self.request.get_host()}, self.request.is_secure()):
            return url
        return None

    def get_cancel_url(self):
        return self.next_url() or reverse("partners:organisation_list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = gettext(
            "Not found in the register? Add it with its KBO number: you can use it at once. It is marked "
            "“proposed” until an administrator confirms it."
        )
        context["submit_label"] = gettext("Add the organisation")
        return context

    def perform(self, form):
        data = form.cleaned_data
        organisation = services.organisation_propose(
            name=data["name"],
            kbo_number=data["kbo_number"],
            postcode=data["postcode"],
            kind=data["kind"],
            by=self.request.user,
        )
        messages.success(
            self.request,
            gettext("%(name)s (KBO %(kbo)s) was added: type its KBO number in the form to use it.")
            % {"name": organisation.name, "kbo": organisation.kbo_number},
        )
        return redirect(self.next_url() or organisation.get_absolute_url())


class ProposedOrganisationListView(ReadOnlyRequestMixin, RoleRequiredMixin, ListView):
    """Organisations proposed by partners, oldest first: confirm each, or merge it into an existing one."""

    roles = ADMIN
    template_name = "partners/proposed_list.html"
    paginate_by = 50
    context_object_name = "organisations"

    def get_queryset(self):
        return (
            Organisation.objects.visible_to(self.request.user)
            .proposed()
            .select_related("proposed_by")
            .order_by("created_at", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Proposed organisations")
        return context


@login_required
@require_POST
def organisation_confirm(request, pk):
    if not access.sees_everything(request.user):
        raise Http404
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user).proposed(), pk=pk)
    services.organisation_confirm(organisation=organisation)
    messages.success(request, gettext("%(name)s was confirmed.") % {"name": organisation.name})
    return redirect("partners:organisation_proposed")


class OrganisationMergeView(CaseFormView):
    """Merge a proposed organisation into an existing one: every record pointing at it moves."""

    roles = ADMIN
    form_class = OrganisationMergeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.sees_everything(request.user):
            self.proposed = get_object_or_404(Organisation.objects.visible_to(request.user).proposed(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return reverse("partners:organisation_proposed")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Merge %(name)s (KBO %(kbo)s)") % {
            "name": self.proposed.name,
            "kbo": self.proposed.kbo_number,
        }
        context["intro"] = gettext(
            "Every record that points at the proposed organisation (jobs, internships, trajectories, "
            "evaluations...) then points at the organisation chosen here, with history; the proposed "
            "organisation is removed."
        )
        context["submit_label"] = gettext("Merge")
        return context

    def perform(self, form):
        into = form.cleaned_data["into"]
        moved = services.organisation_merge(proposed=self.proposed, into=into, by=self.request.user)
        messages.success(
            self.request,
            gettext("%(proposed)s was merged into %(into)s; records moved: %(count)s.")
            % {"proposed": self.proposed.name, "into": into.name, "count": sum(moved.values())},
        )
        return redirect(into.get_absolute_url())


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
