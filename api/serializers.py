"""What the API answers: the records the caller may see, by field; reference lists by code, dates ISO 8601."""

from rest_framework import serializers

from accounts.access import insz_for_list
from employees.models import Employee, Employment
from evaluations.models import Evaluation, Referral
from partners.models import Organisation
from trajectories.models import Internship, Trajectory

RECORD = ["id", "registered_on", "created_at", "updated_at"]


def code(field: str = "code"):
    """A reference list's entry by its stable code (a call by its number)."""
    return serializers.SlugRelatedField(slug_field=field, read_only=True, allow_null=True)


class PersonSerializer(serializers.ModelSerializer):
    insz = serializers.SerializerMethodField(help_text="Whole on a person's own page; masked in lists for partners.")

    class Meta:
        model = Employee
        fields = [*RECORD, "insz", "first_name", "last_name", "birth_date", "gender"]

    def get_insz(self, person) -> str:
        if self.context.get("whole_insz"):
            return person.insz
        return insz_for_list(self.context["request"].user, person.insz)


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [*RECORD, "name", "kbo_number", "kind", "postcode", "province", "status"]


class JobSerializer(serializers.ModelSerializer):
    instrument = code()

    class Meta:
        model = Employment
        fields = [*RECORD, "employee", "employer", "instrument", "start_date", "end_date", "with_support_package"]


class EvaluationSerializer(serializers.ModelSerializer):
    advice = code()
    instrument = code()

    class Meta:
        model = Evaluation
        fields = [*RECORD, "employee", "evaluation_date", "advice", "employer", "instrument", "office", "notes"]


class ReferralSerializer(serializers.ModelSerializer):
    decline_reason = code()

    class Meta:
        model = Referral
        fields = [
            *RECORD,
            "evaluation",
            "employee",
            "partner",
            "status",
            "trajectory",
            "answered_at",
            "decline_reason",
            "answer_note",
            "withdrawn_at",
            "withdrawal_reason",
        ]


class TrajectorySerializer(serializers.ModelSerializer):
    call = code("number")
    instrument = code()
    end_reason = code()

    class Meta:
        model = Trajectory
        fields = [
            *RECORD,
            "employee",
            "partner",
            "call",
            "se_employer",
            "instrument",
            "start_date",
            "end_date",
            "end_reason",
            "voortraject_start",
            "jobmatching_start",
            "stage_start",
            "nazorg_start",
            "notes",
        ]


class TrajectoryEndedSerializer(serializers.Serializer):
    trajectory = TrajectorySerializer()
    job = JobSerializer(allow_null=True)


class InternshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Internship
        fields = [*RECORD, "trajectory", "host", "sector", "start_date", "end_date", "outcome"]


class LookupSerializer(serializers.Serializer):
    """A look-up's answer: as on the screen, name and birth year to confirm the identity, the person's id
    only when the caller may already see the person, and the look-up's id to start a trajectory from."""

    lookup = serializers.IntegerField()
    found = serializers.BooleanField()
    name = serializers.CharField(allow_null=True)
    birth_year = serializers.IntegerField(allow_null=True)
    person = serializers.IntegerField(allow_null=True)


class ReportListSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    measure = serializers.CharField()
    in_pack = serializers.BooleanField()


class ReportRunSerializer(serializers.Serializer):
    """export_report's JSON: one row per cell, with the dimensions' labels and the value."""

    slug = serializers.CharField()
    title = serializers.CharField()
    as_of = serializers.DateField()
    dimensions = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.DictField())
