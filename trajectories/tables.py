"""Tables of the trajectory and internship lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from casework.tables import INSZColumn
from common.tables import heading
from trajectories.models import Internship, Trajectory


class TrajectoryTable(tables.Table):
    start_date = tables.DateColumn(format="d/m/Y", linkify=("trajectories:detail", {"pk": tables.A("pk")}))
    employee = tables.Column(order_by=("employee__last_name", "employee__first_name"))
    insz = INSZColumn(accessor="employee__insz")
    partner = tables.Column(order_by=("partner__name",))
    se_employer = tables.Column(order_by=("se_employer__name",))
    province = tables.Column(accessor="se_employer__province", verbose_name=heading(_("province")))
    end_date = tables.DateColumn(format="d/m/Y")
    internship_count = tables.Column(verbose_name=heading(_("internships")))

    class Meta:
        model = Trajectory
        fields = (
            "start_date",
            "employee",
            "insz",
            "partner",
            "se_employer",
            "province",
            "instrument",
            "age_years",
            "end_date",
            "end_reason",
            "internship_count",
        )
        attrs = {"class": "table table-striped table-hover"}
        empty_text = _("No trajectories match.")


class InternshipTable(tables.Table):
    start_date = tables.DateColumn(format="d/m/Y", linkify=("trajectories:detail", {"pk": tables.A("trajectory_id")}))
    employee = tables.Column(
        accessor="trajectory__employee",
        verbose_name=heading(_("employee")),
        order_by=("trajectory__employee__last_name",),
    )
    partner = tables.Column(
        accessor="trajectory__partner", verbose_name=heading(_("partner")), order_by=("trajectory__partner__name",)
    )
    host = tables.Column(order_by=("host__name",))
    end_date = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Internship
        fields = ("start_date", "employee", "partner", "host", "sector", "end_date", "outcome")
        attrs = {"class": "table table-striped table-hover"}
        empty_text = _("No internships match.")
