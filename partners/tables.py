"""Tables of the organisation, grant and pilot lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from common.tables import AmountColumn, heading
from partners.models import Grant, Organisation, Pilot


class OrganisationTable(tables.Table):
    name = tables.Column(linkify=("partners:organisation_detail", {"pk": tables.A("pk")}))

    class Meta:
        model = Organisation
        fields = ("name", "kbo_number", "kind", "postcode", "province", "status")
        attrs = {"class": "table table-striped table-hover"}


class GrantTable(tables.Table):
    partner = tables.Column(order_by=("partner__name",))
    esf_amount = AmountColumn()
    flemish_amount = AmountColumn()
    total = AmountColumn(verbose_name=heading(_("total granted")), accessor="total_amount", orderable=False)
    spent_amount = AmountColumn()
    actions = tables.TemplateColumn(
        template_name="partners/_grant_actions.html",
        verbose_name=heading(_("actions")),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = Grant
        fields = ("call", "partner", "year", "esf_amount", "flemish_amount", "total", "spent_amount", "actions")
        attrs = {"class": "table table-striped table-hover"}


class PilotTable(tables.Table):
    name = tables.Column(linkify=("partners:pilot_detail", {"pk": tables.A("pk")}))

    class Meta:
        model = Pilot
        fields = ("name", "sector", "start_date", "end_date")
        attrs = {"class": "table table-striped table-hover"}
