"""The API's resources: each one the screens' querysets (`visible_to`), forms and services, nothing of its own.

Roles as on the screens: a role without the resource's capability gets 404, a record outside
`visible_to` gets 404. Writes need a read-and-write key, an `If-Match` for a change, and come back
with the record, its ETag and (when made) its Location.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import Role, role_of
from api.base import RecordViewSet, Resource, etag_of, idempotent
from api.forms import bind, bind_changes
from api.problems import field_errors, problem, validation_problem
from api.serializers import (
    EvaluationSerializer,
    InternshipSerializer,
    JobSerializer,
    LookupSerializer,
    OrganisationSerializer,
    PersonSerializer,
    ReferralSerializer,
    ReportListSerializer,
    ReportRunSerializer,
    TrajectoryEndedSerializer,
    TrajectorySerializer,
)
from audit.constants import AccessAction
from audit.models import AccessEvent
from audit.services import filters_as_text, record_access
from casework.views import without_administrator_fields
from employees.forms import EmploymentForm, PersonLookupForm
from employees.models import Employee, Employment
from evaluations import services as evaluation_services
from evaluations.constants import ReferralStatus
from evaluations.forms import DeclineForm, EvaluationForm, PartnerChoiceForm
from evaluations.models import Evaluation, Referral
from partners.models import Organisation
from people.services import LookupLimitReached, lookup_result, person_lookup
from reports.exports import as_dict
from reports.forms import RunForm
from reports.models import SavedReport
from reports.services import run_report
from trajectories import services as trajectory_services
from trajectories.forms import InternshipForm, TrajectoryEndForm, TrajectoryForm, TrajectoryStartForm
from trajectories.models import Internship, Trajectory

MODIFIED_SINCE = OpenApiParameter(
    "modified_since", str, description="Only records changed from this moment on (ISO 8601).", required=False
)
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True, description="The record's ETag, as last read."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="A repeat of the request with the same key within 24 hours gets the first answer again.",
)
LIST = extend_schema(parameters=[MODIFIED_SINCE])
CHANGE = {"parameters": [IF_MATCH]}
CREATE = {"parameters": [IDEMPOTENCY_KEY]}
ID = {"type": "integer"}


@extend_schema_view(list=LIST)
class OrganisationViewSet(RecordViewSet):
    """Organisations of the register (every role reads them)."""

    model = Organisation
    capability = None
    serializer_class = OrganisationSerializer


@extend_schema_view(list=LIST)
class PersonViewSet(RecordViewSet):
    """The persons the caller may see; opening one is recorded in the access log, as the person's page."""

    model = Employee
    serializer_class = PersonSerializer

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        record_access(user=request.user, action=AccessAction.PERSON_VIEWED, employee=person)
        return self.answer(person, whole_insz=True)


class LookupViewSet(Resource):
    # Only POST: never a list of the persons looked up, nor one of them.
    """The look-up by INSZ, within the same limits per hour and day as the screen (429 beyond them)."""

    model = AccessEvent
    capability = "guide"
    read_only_post = True
    serializer_class = LookupSerializer
    input_forms = {"create": PersonLookupForm}

    @extend_schema(responses={201: LookupSerializer}, **CREATE)
    @idempotent
    def create(self, request, *args, **kwargs):
        form = bind(PersonLookupForm, request.data)
        if not form.is_valid():
            return validation_problem(field_errors(form.errors))
        try:
            lookup = person_lookup(user=request.user, insz=form.cleaned_data["insz"])
        except LookupLimitReached as refusal:
            return problem(429, refusal.message)
        result = lookup_result(lookup=lookup, user=request.user) or {}
        body = {
            "lookup": lookup.pk,
            "found": lookup.found,
            "name": result.get("name"),
            "birth_year": result.get("birth_year"),
            "person": lookup.employee_id if result.get("person_url") else None,
        }
        return Response(body, status=201)


@extend_schema_view(list=LIST)
class JobViewSet(RecordViewSet):
    """Jobs (employment spells) of the persons the caller may see; partners record the job that followed."""

    model = Employment
    write_capability = "guide"
    serializer_class = JobSerializer
    select_related = ("instrument",)
    input_forms = {"create": EmploymentForm, "partial_update": EmploymentForm}
    input_extra = {"create": {"employee": serializers.IntegerField(help_text="The person's id.")}}

    @extend_schema(responses={201: JobSerializer}, **CREATE)
    @idempotent
    def create(self, request, *args, **kwargs):
        person = self.parent(Employee, "employee")
        form = without_administrator_fields(bind(EmploymentForm, request.data), request.user)
        form.instance.employee = person
        return self.perform(form, lambda form: self.answer(form.save(), 201))

    @extend_schema(responses={200: JobSerializer}, **CHANGE)
    def partial_update(self, request, *args, **kwargs):
        job = self.locked(self.get_object())
        form = without_administrator_fields(bind_changes(EmploymentForm, request.data, instance=job), request.user)
        return self.perform(form, lambda form: self.answer(form.save()))


@extend_schema_view(list=LIST)
class EvaluationViewSet(RecordViewSet):
    """Evaluations of the persons the caller may see; evaluators record and change them."""

    model = Evaluation
    write_capability = "write_evaluations"
    serializer_class = EvaluationSerializer
    select_related = ("advice", "instrument")
    input_forms = {"create": EvaluationForm, "partial_update": EvaluationForm}
    input_extra = {"create": {"employee": serializers.IntegerField(help_text="The person's id.")}}

    @extend_schema(responses={201: EvaluationSerializer}, **CREATE)
    @idempotent
    def create(self, request, *args, **kwargs):
        person = self.parent(Employee, "employee")
        form = without_administrator_fields(bind(EvaluationForm, request.data), request.user)
        form.instance.employee, form.instance.evaluator = person, request.user
        return self.perform(form, lambda form: self.answer(form.save(), 201))

    @extend_schema(responses={200: EvaluationSerializer}, **CHANGE)
    def partial_update(self, request, *args, **kwargs):
        evaluation = self.locked(self.get_object())
        form = bind_changes(EvaluationForm, request.data, instance=evaluation)
        form = without_administrator_fields(form, request.user)
        return self.perform(form, lambda form: self.answer(form.save()))


def _partner_choice_form():
    return PartnerChoiceForm(on=timezone.localdate())


@extend_schema_view(list=LIST)
class ReferralViewSet(RecordViewSet):
    """Referrals: to the partner's own organisation for partner staff, all for evaluators; evaluators refer."""

    model = Referral
    serializer_class = ReferralSerializer
    select_related = ("decline_reason",)
    input_forms = {"create": _partner_choice_form, "decline": DeclineForm}
    input_extra = {"create": {"evaluation": serializers.IntegerField(help_text="The evaluation's id.")}}

    @property
    def write_capability(self):
        # Evaluators refer; the partner the person was referred to declines (as on the screens).
        return "guide" if self.action == "decline" else "write_evaluations"

    @extend_schema(responses={201: ReferralSerializer}, **CREATE)
    @idempotent
    def create(self, request, *args, **kwargs):
        evaluation = self.parent(Evaluation, "evaluation")
        earlier = Referral.objects.filter(evaluation=evaluation).values_list("partner_id", flat=True)
        form = bind(PartnerChoiceForm, request.data, on=timezone.localdate(), exclude=earlier)

        def refer(form):
            referral = evaluation_services.referral_create(
                evaluation=evaluation, partner=form.cleaned_data["partner"], referred_by=request.user
            )
            return self.answer(referral, 201)

        return self.perform(form, refer)

    @extend_schema(responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        """Decline a waiting referral to your organisation, with a reason code (and a note for "other")."""
        referral = self.get_object()
        if referral.status != ReferralStatus.WAITING:
            raise Http404
        form = bind(DeclineForm, request.data)

        def decline(form):
            values = form.cleaned_data
            evaluation_services.referral_decline(
                referral=referral, reason=values["decline_reason"], note=values["answer_note"], by=request.user
            )
            referral.refresh_from_db()
            return self.answer(referral)

        return self.perform(form, decline)


def _start_form():
    return TrajectoryStartForm(choose_partner=True, ask_reason=False)


def _end_form():
    return TrajectoryEndForm()


START_FROM = {
    "referral": serializers.IntegerField(required=False, help_text="A waiting referral to your organisation."),
    "lookup": serializers.IntegerField(required=False, help_text="Your look-up by INSZ that found the person."),
}


@extend_schema_view(list=LIST)
class TrajectoryViewSet(RecordViewSet):
    """Trajectories of the partner's own organisation: start (from a referral or a look-up), change, end."""

    model = Trajectory
    capability = "guide"
    serializer_class = TrajectorySerializer
    select_related = ("call", "instrument", "end_reason")
    input_forms = {"create": _start_form, "partial_update": TrajectoryForm, "end": _end_form}
    input_extra = {"create": START_FROM}

    @extend_schema(responses={201: TrajectorySerializer}, **CREATE)
    @idempotent
    def create(self, request, *args, **kwargs):
        """Start a trajectory from a waiting referral to your organisation (`referral`) or from your
        look-up by INSZ (`lookup`, with `access_reason` when the person was not referred to you)."""
        data = request.data if isinstance(request.data, dict) else {}
        referral = lookup = None
        if data.get("referral") is not None:
            referral = self.parent(Referral, "referral", status=ReferralStatus.WAITING)
            person = referral.employee
        else:
            lookup = self._own_lookup(data.get("lookup"))
            person = lookup.employee
        partner = request.user.organisation if role_of(request.user) == Role.PARTNER_STAFF else None
        form = bind(
            TrajectoryStartForm,
            data,
            choose_partner=partner is None and referral is None,
            ask_reason=None if referral else False,
        )

        def start(form):
            values = form.cleaned_data
            trajectory = trajectory_services.trajectory_start(
                employee=person,
                partner=referral.partner if referral else (partner or values.get("partner")),
                call=values["call"],
                start_date=values["start_date"],
                caseworker=request.user,
                se_employer=values.get("se_employer"),
                instrument=values.get("instrument"),
                voortraject_start=values.get("voortraject_start"),
                notes=values.get("notes", ""),
                referral=referral,
                **(
                    {}
                    if referral
                    else {"access_reason": values.get("access_reason", ""), "reason_without_referral": True}
                ),
            )
            return self.answer(trajectory, 201)

        return self.perform(form, start)

    def _own_lookup(self, value):
        """The caller's own look-up that found a person (as the screen's "start" link after a look-up)."""
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**63:
            raise serializers.ValidationError({"lookup": [_give_start()]})
        lookup = (
            AccessEvent.objects.select_related("employee")
            .filter(pk=value, user=self.request.user, action=AccessAction.INSZ_LOOKUP, employee__isnull=False)
            .first()
        )
        if lookup is None:
            raise Http404
        return lookup

    @extend_schema(responses={200: TrajectorySerializer}, **CHANGE)
    def partial_update(self, request, *args, **kwargs):
        trajectory = self.locked(self.get_object())
        form = without_administrator_fields(
            bind_changes(TrajectoryForm, request.data, instance=trajectory), request.user
        )
        return self.perform(form, lambda form: self.answer(form.save()))

    @extend_schema(responses={200: TrajectoryEndedSerializer}, **CHANGE)
    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        """End the trajectory with its reason and, when known, the job that followed (`job_employer`,
        `job_start_date`...), or `job_unknown`; running internships end with it once `end_internships`."""
        trajectory = self.locked(self.get_object())
        form = bind(TrajectoryEndForm, request.data, instance=trajectory)

        def end(form):
            values = form.cleaned_data
            ended, spell = trajectory_services.trajectory_end(
                trajectory=form.instance,
                end_date=values["end_date"],
                end_reason=values["end_reason"],
                next_job=form.next_job(),
                job_unknown=values.get("job_unknown", False),
                end_internships=values.get("end_internships", False),
            )
            context = self.get_serializer_context()
            body = {
                "trajectory": TrajectorySerializer(ended, context=context).data,
                "job": JobSerializer(spell, context=context).data if spell else None,
            }
            return Response(body, headers={"ETag": etag_of(ended)})

        return self.perform(form, end)


@extend_schema_view(list=LIST)
class InternshipViewSet(RecordViewSet):
    """Internships of the partner's trajectories: record one, change one (the trajectory's phase follows)."""

    model = Internship
    capability = "guide"
    serializer_class = InternshipSerializer
    input_forms = {"create": InternshipForm, "partial_update": InternshipForm}
    input_extra = {"create": {"trajectory": serializers.IntegerField(help_text="The trajectory's id.")}}

    @extend_schema(responses={201: InternshipSerializer}, **CREATE)
    @idempotent
    def create(self, request, *args, **kwargs):
        trajectory = self.parent(Trajectory, "trajectory")
        form = without_administrator_fields(bind(InternshipForm, request.data), request.user)
        form.instance.trajectory = trajectory
        return self.perform(form, lambda form: self.answer(trajectory_services.internship_save(form.instance), 201))

    @extend_schema(responses={200: InternshipSerializer}, **CHANGE)
    def partial_update(self, request, *args, **kwargs):
        internship = self.locked(self.get_object())
        form = bind_changes(InternshipForm, request.data, instance=internship)
        form = without_administrator_fields(form, request.user)
        return self.perform(form, lambda form: self.answer(trajectory_services.internship_save(form.instance)))


def _give_start():
    return gettext("Give the id of a waiting referral (referral) or of your look-up (lookup).")


class ReportViewSet(RecordViewSet):
    """Saved reports (administrators and analysts): the list, and one run as JSON, the shape of
    `export_report` and of the report page's JSON export (one row per cell); recorded as an export."""

    model = SavedReport
    capability = "run_reports"
    serializer_class = ReportListSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    @extend_schema(parameters=[MODIFIED_SINCE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={200: ReportRunSerializer},
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE, required=False, description="Reference date."),
            OpenApiParameter("known_at", OpenApiTypes.DATE, required=False, description="The register as it stood."),
        ],
    )
    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        form = RunForm(request.query_params)
        if not form.is_valid():
            return validation_problem(field_errors(form.errors))
        run = run_report(report, as_of=form.cleaned_data["as_of"], known_at=form.cleaned_data["known_at"])
        record_access(
            user=request.user,
            action=AccessAction.LIST_EXPORTED,
            list_name=f"reports:{report.slug}",
            export_format="json",
            filters=filters_as_text(request.query_params),
            row_count=sum(1 for _row in run.result.rows()),
        )
        return Response(as_dict(run))
