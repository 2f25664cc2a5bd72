"""Organisations (employers and ESF partners), ESF calls, grants and sector pilots."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.history import set_null_with_history
from common.models import RegisteredModel, TimeStampedModel, source_id_field, source_id_unique
from common.provinces import Province, province_for_postcode
from common.validators import normalise_kbo, validate_kbo, validate_postcode
from partners.constants import OrganisationKind, OrganisationStatus
from partners.querysets import GrantQuerySet, OrganisationQuerySet, PilotQuerySet

ZERO = Decimal("0")


class Organisation(RegisteredModel):
    """A social-economy employer, an ESF transition partner or a regular employer.

    Its registration date (`registered_on`) says from which day the register knew it: read as the
    register stood before that day (`known_at`), the money of its grants is left out (docs/measures.md).
    """

    name = models.CharField(_("name"), max_length=200)
    kbo_number = models.CharField(
        _("KBO number"),
        max_length=10,
        unique=True,
        validators=[validate_kbo],
        help_text=_("The enterprise number: 10 digits, the last two a check number."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    postcode = models.PositiveSmallIntegerField(_("postcode"), null=True, blank=True, validators=[validate_postcode])
    # Stored when saved, so that reports group by it without deriving it per row.
    province = models.CharField(_("province"), max_length=3, choices=Province.choices, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.CONFIRMED,
        editable=False,
        help_text=_("Proposed: added by a partner, to be confirmed or merged by an administrator."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=set_null_with_history,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    source_id = source_id_field()
    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()
    # The fields __str__ reads: an export reads only these for a related record's text (common/export.py).
    STR_FIELDS = ("name",)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            source_id_unique("partners_organisation"),
            models.CheckConstraint(
                condition=Q(postcode__isnull=True) | Q(postcode__gte=1000, postcode__lte=9999),
                name="partners_organisation_postcode_range",
                violation_error_message=_("A Belgian postcode lies between 1000 and 9999."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="partners_organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrganisationStatus.values),
                name="partners_organisation_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "name"], name="partners_org_kind_name_idx"),
            # A form's organisation typed by name is found by its name in any case (partners/forms.py,
            # `name__iexact`): without this index every saved trajectory read all 12,066 organisations of
            # the benchmark register, 3-5 ms (issue 17).
            models.Index(Upper("name"), name="partners_org_name_upper_idx"),
        ]

    @property
    def is_partner(self) -> bool:
        """An ESF transition partner: the only kind of organisation a user can belong to."""
        return self.kind == OrganisationKind.PARTNER

    def __str__(self):
        return self.name

    @property
    def is_proposed(self) -> bool:
        return self.status == OrganisationStatus.PROPOSED

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partners:organisation_detail", args=[self.pk])

    def clean_fields(self, exclude=None):
        self.kbo_number = normalise_kbo(self.kbo_number)
        super().clean_fields(exclude=exclude)

    def refresh_derived(self):
        """Store the province the postcode implies; bulk writers call this themselves."""
        self.province = province_for_postcode(self.postcode)


class Call(TimeStampedModel):
    """An ESF call for projects (projectoproep) that funds transition trajectories."""

    number = models.CharField(_("call number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    standard_cost = models.DecimalField(
        _("standard cost per trajectory"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("4200.00"),
        validators=[MinValueValidator(ZERO)],
        help_text=_("What a partner earns for each trajectory, in euro."),
    )
    esf_share = models.DecimalField(
        _("ESF share"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.40"),
        validators=[MinValueValidator(ZERO)],
        help_text=_("The part of the cost paid by the ESF, as a fraction (0.40 = 40 %)."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Empty when the call does not say: no planned end is proposed, no internship is flagged as too long.
    trajectory_months = models.PositiveSmallIntegerField(
        _("planned duration of a trajectory (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A trajectory started without a planned end gets one this many months after its start. "
            "Empty: the call sets no duration."
        ),
    )
    max_internship_weeks = models.PositiveSmallIntegerField(
        _("longest internship (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The longest internship the call allows. A running internship longer than this appears on the "
            "partner's work list. Empty: no limit."
        ),
    )

    history = HistoricalRecords()
    # The fields __str__ reads: an export reads only these for a related record's text (common/export.py).
    STR_FIELDS = ("number", "name")

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partners_call_end_after_start",
                violation_error_message=_("The end date cannot lie before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(standard_cost__gte=0),
                name="partners_call_standard_cost_not_negative",
                violation_error_message=_("The standard cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(esf_share__gte=0, esf_share__lte=1),
                name="partners_call_esf_share_fraction",
                violation_error_message=_("The ESF share is a fraction between 0 and 1."),
            ),
        ]

    def __str__(self):
        return _("Call %(number)s") % {"number": self.number} + (f" – {self.name}" if self.name else "")


class Grant(RegisteredModel):
    """The money granted to one partner for one year of a call, and what it spent.

    Counted by the reports from its registration date (`registered_on`) on, when its partner was
    registered by then too (docs/measures.md, q2e).
    """

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="grants")
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="grants",
        limit_choices_to={"kind": OrganisationKind.PARTNER},
    )
    year = models.PositiveSmallIntegerField(_("year"))
    esf_amount = models.DecimalField(
        _("ESF amount granted"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    flemish_amount = models.DecimalField(
        _("Flemish co-financing granted"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    spent_amount = models.DecimalField(
        _("amount spent"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Leave empty while the spending is not known yet."),
    )

    source_id = source_id_field()
    objects = GrantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["call", "partner__name", "year"]
        constraints = [
            source_id_unique("partners_grant"),
            models.UniqueConstraint(
                fields=["call", "partner", "year"],
                name="partners_grant_unique_call_partner_year",
                violation_error_message=_("This partner already has a grant for this call and year."),
            ),
            models.CheckConstraint(
                condition=Q(esf_amount__gte=0)
                & Q(flemish_amount__gte=0)
                & (Q(spent_amount__isnull=True) | Q(spent_amount__gte=0)),
                name="partners_grant_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="partners_grant_year_range",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
        ]

    def __str__(self):
        return f"{self.call.number} – {self.partner} – {self.year}"

    @property
    def total_amount(self) -> Decimal:
        return self.esf_amount + self.flemish_amount


class Pilot(TimeStampedModel):
    """A sector pilot (proeftuin) that matched social-economy and regular companies."""

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=100)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="pilots"
    )
    results = models.TextField(_("results"), blank=True)

    objects = PilotQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[organisations])

    class Meta:
        verbose_name = _("sector pilot")
        verbose_name_plural = _("sector pilots")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partners_pilot_end_after_start",
                violation_error_message=_("The end date cannot lie before the start date."),
            ),
        ]

    def __str__(self):
        return self.name
