"""Forms to start, edit and end trajectories, and to record internships."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DJANGO_EMPTY_LABEL, CheckedModelForm, DateInput
from employees.models import Instrument
from partners.constants import OrganisationKind
from partners.forms import OrganisationField
from partners.models import Call
from trajectories.constants import FollowUpMark
from trajectories.models import EndReason, Internship, Trajectory

REASON_REQUIRED = _("Give the reason why your organisation guides this person without a referral.")


class TrajectoryStartForm(forms.Form):
    call = forms.ModelChoiceField(queryset=Call.objects.all(), label=_("call"))
    start_date = forms.DateField(label=_("start date"), widget=DateInput())
    se_employer = OrganisationField(
        label=_("social-economy employer"),
        required=False,
        help_text=_("Pre-filled from the person's job; left empty, it is taken from the job on the start date."),
    )
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.all(), label=_("policy instrument"), required=False)
    voortraject_start = forms.DateField(label=_("pre-trajectory from"), required=False, widget=DateInput())
    planned_end_date = forms.DateField(
        label=_("planned end"),
        required=False,
        widget=DateInput(),
        help_text=_("Left empty: the start plus the duration of the call, when the call sets one."),
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, choose_partner=False, ask_reason=None, **kwargs):
        """`ask_reason`: None, no reason field; True, a required one (a partner starting a trajectory for a
        person not referred to them); False, an optional one (an administrator choosing the partner:
        the service then asks for it if that partner has no referral)."""
        super().__init__(*args, **kwargs)
        if choose_partner:
            self.fields = {
                "partner": OrganisationField(label=_("partner"), kinds=[OrganisationKind.PARTNER]),
                **self.fields,
            }
        if ask_reason is not None:
            self.fields["access_reason"] = forms.CharField(
                label=_("reason for access without a referral"),
                required=ask_reason,
                min_length=10,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "This person was not referred to your organisation. Write why your organisation guides "
                    "them. Administrators review every trajectory started without a referral and may "
                    "withdraw the access."
                ),
                error_messages={"required": REASON_REQUIRED},
            )
        call = Call.objects.order_by("-number").first()
        if call is not None:
            self.fields["call"].initial = call.pk


class TrajectoryForm(CheckedModelForm):
    se_employer = OrganisationField(label=_("social-economy employer"), required=False)

    class Meta:
        model = Trajectory
        fields = [
            "call",
            "se_employer",
            "instrument",
            "start_date",
            "planned_end_date",
            "voortraject_start",
            "jobmatching_start",
            "stage_start",
            "nazorg_start",
            "notes",
            "esf_labour_status",
            "esf_education",
            "esf_household",
            "esf_leaving_situation",
            "esf_disability",
            "esf_migrant_background",
        ]
        widgets = {
            name: DateInput()
            for name in [
                "start_date",
                "planned_end_date",
                "voortraject_start",
                "jobmatching_start",
                "stage_start",
                "nazorg_start",
            ]
        }
        help_texts = {
            "call": _("The ESF call whose grant pays for this trajectory."),
            "start_date": _("The day of the first meeting with the person in this trajectory."),
            "voortraject_start": _(
                "The day the pre-trajectory began: getting to know the person, their skills and goals. "
                "Empty when the trajectory did not have this phase."
            ),
            "jobmatching_start": _("The day the search for a job in the regular economy began."),
            "stage_start": _("The day the first internship began."),
            "nazorg_start": _("The day the aftercare began: the follow-up once the person started a regular job."),
            "esf_labour_status": _(
                "ESF participant data, asked at the person's first trajectory of the call. A social-economy "
                "target-group worker enters as employed."
            ),
            "esf_education": _("The highest level of education completed, on entry."),
            "esf_household": _(
                "On entry. Empty: not asked yet; 'unknown' and 'does not want to say' count as missing."
            ),
        }


class TrajectoryEndForm(CheckedModelForm):
    """The end of a trajectory with its reason and, optionally, the job that followed."""

    job_employer = OrganisationField(label=_("employer of the next job"), required=False)
    job_start_date = forms.DateField(label=_("start of the next job"), required=False, widget=DateInput())
    job_instrument = forms.ModelChoiceField(
        queryset=Instrument.objects.all(),
        label=_("policy instrument of the next job"),
        required=False,
        empty_label=_("none: a job in the regular economy"),
    )
    job_with_support_package = forms.BooleanField(label=_("with work-support package"), required=False)
    job_unknown = forms.BooleanField(
        label=_("the employer of the job is not known yet"),
        required=False,
        help_text=_("The trajectory then stays on your follow-up list until the job is recorded."),
    )
    end_internships = forms.BooleanField(
        label=_("end the running internships on the same day"),
        required=False,
    )

    class Meta:
        model = Trajectory
        fields = ["end_date", "end_reason"]
        widgets = {"end_date": DateInput()}

    def __init__(self, *args, running_internships: str = "", **kwargs):
        """`running_internships`: the internships still running, described; without any, the form does
        not ask to end them."""
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True
        self.fields["end_reason"].required = True
        self.fields["end_reason"].queryset = EndReason.objects.filter(active=True)
        self.fields["end_reason"].help_text = _(
            "“Found a job in the regular economy” asks for the job below (employer, start, regular or "
            "social economy, support package)."
        )
        if running_internships:
            self.fields["end_internships"].help_text = _("Still running: %(internships)s.") % {
                "internships": running_internships
            }
        elif self.instance.pk is None or not self.instance.internships.exists():
            del self.fields["end_internships"]

    def clean(self):
        cleaned = super().clean()
        employer, start = cleaned.get("job_employer"), cleaned.get("job_start_date")
        if employer and not start and "job_start_date" not in self.errors:
            self.add_error("job_start_date", _("Give the start date of the next job."))
        if start and not employer and "job_employer" not in self.errors:
            self.add_error("job_employer", _("Give the employer of the next job."))
        if employer and cleaned.get("job_unknown"):
            self.add_error("job_unknown", _("The employer is given: leave this box empty."))
        return cleaned

    def next_job(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("job_employer"):
            return None
        return {
            "employer": data["job_employer"],
            "start_date": data["job_start_date"],
            "instrument": data.get("job_instrument"),
            "with_support_package": data.get("job_with_support_package", False),
        }


class InternshipForm(CheckedModelForm):
    host = OrganisationField(label=_("host organisation"))

    class Meta:
        model = Internship
        fields = ["host", "sector", "start_date", "end_date", "outcome"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


# The empty choice first: the answer is asked, never assumed (style_form names it "— kies —").
YES_NO = [("", DJANGO_EMPTY_LABEL), ("yes", _("yes")), ("no", _("no"))]


class JobFollowUpForm(forms.Form):
    """The follow-up of a job at a mark: does the person still work there? If not, the job's last day."""

    mark = forms.TypedChoiceField(label=_("follow-up after"), choices=FollowUpMark.choices, coerce=int)
    checked_on = forms.DateField(label=_("checked on"), widget=DateInput())
    still_in_work = forms.ChoiceField(
        label=_("still in this job"),
        choices=YES_NO,
        error_messages={"required": _("Answer yes or no.")},
    )
    job_end_date = forms.DateField(
        label=_("last day of the job"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when the person no longer works there: the job then ends on this day."),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        answer, end = cleaned.get("still_in_work"), cleaned.get("job_end_date")
        if answer == "no" and end is None and "job_end_date" not in self.errors:
            self.add_error("job_end_date", _("The person no longer works there: give the last day of the job."))
        if answer == "yes" and end is not None:
            self.add_error("job_end_date", _("The person still works there: leave the end of the job empty."))
        return cleaned
