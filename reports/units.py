"""The units the measures count and the facts they share: the reference evaluation of question 1, the
trajectories, the move to a regular job of question 4, the referrals' answers.

`reports.measures` builds its measures on these, and so does `reports.pathway` (the pathway of a cohort and
the figures per social-economy employer), so that each definition of docs/measures.md is written once.
"""

from django.db import connections
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import IsNull, LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django_cte import CTE, with_cte

from employees.models import Employment, Instrument
from evaluations.constants import ADVICE_READY, ReferralStatus
from evaluations.models import Advice, Evaluation, Referral
from partners.models import Organisation
from reports.engine import UNKNOWN, Context, Dimension, KeyedLabel, age_band_of, band_labels, label_or_unknown
from reports.functions import AddMonths
from reports.sources import end_of_day, one_per_person
from trajectories.models import Trajectory


def dim(name, label, expr, default_labels=None):
    return Dimension(name=name, label=label, expr=expr, default_labels=default_labels)


def common_person_dims(*, age_path, date_path, birth_path="employee__birth_date", prefix=""):
    return [
        dim(
            "age_band",
            _("age band"),
            lambda ctx: age_band_of(ctx, age_path=age_path, birth_path=birth_path, date_path=date_path),
            band_labels,
        ),
        dim("gender", _("gender"), lambda ctx: label_or_unknown(f"{prefix}employee__gender")),
    ]


def spells(ctx: Context, **filters):
    """Employment spells of the unit's person, as registered at K."""
    return ctx.records(Employment).filter(employee_id=OuterRef("employee_id"), **filters)


def evaluation_units(ctx: Context):
    return ctx.records(Evaluation).filter(ctx.in_period("evaluation_date"))


def ready_units(ctx: Context, columns: dict | None = None):
    """Each person's reference evaluation: their earliest dated ready advice (undated only when none is dated).

    `columns`: expressions (name -> expression on the evaluation) computed with the units, once per
    person: on PostgreSQL inside the common table expression, whose DISTINCT ON keeps PostgreSQL from
    inlining them into every expression of the report that reads them (a correlated subquery used by
    ten figures ran ten times per person, issue 17).

    On PostgreSQL the first of each person in the order (evaluation_date NULLS LAST, id) by
    `one_per_person`: for the live table that is the order of the index
    evaluations_eval_advice_person_idx (evaluations 0006 and 0007) once the advice is one value
    (`advice_id = (SELECT id ...)`, not a join), so PostgreSQL reads the index once and keeps the
    first row of each person, without a sort and without reading the table (docs/benchmarks.md).
    Elsewhere: "no ready evaluation of the same person comes before it" (dated before undated,
    then by date, then by id).
    """
    ready = evaluation_units(ctx).filter(
        advice_id=Subquery(Advice.objects.filter(code=ADVICE_READY).order_by().values("id"))
    )
    if hasattr(ready.model, "instance_type") and connections[ready.db].features.can_distinct_on_fields:
        # The register of a past day (history versions) on PostgreSQL: DISTINCT ON too, which `one_per_person`
        # keeps for the live tables. The anti-join chose the versions at K twice, one side each, each time by
        # an anti-join over the whole history table; choosing them once and sorting the 60,000 ready versions
        # by person takes a third less CPU at a million persons (issue 17). The same units: every version has
        # a person (the live column is NOT NULL), and the order is total (the ids of the versions at K differ).
        first = ready.annotate(**columns or {}).order_by("employee_id", F("evaluation_date").asc(nulls_last=True), "id")
        first = first.distinct("employee_id")
        table = CTE(first, name="reference_evaluation")
        return with_cte(table, select=table.queryset())

    def without_an_earlier_one():
        outer_undated = Q(IsNull(OuterRef("evaluation_date"), True))
        earlier = ready.filter(employee_id=OuterRef("employee_id")).filter(
            Q(evaluation_date__isnull=False) & outer_undated
            | Q(evaluation_date__lt=OuterRef("evaluation_date"))
            | Q(evaluation_date=OuterRef("evaluation_date"), id__lt=OuterRef("id"))
            | Q(evaluation_date__isnull=True, id__lt=OuterRef("id")) & outer_undated
        )
        return ready.filter(~Exists(earlier)).annotate(**columns or {})

    return one_per_person(
        ready.annotate(**columns or {}),
        [F("evaluation_date").asc(nulls_last=True), "id"],
        name="reference_evaluation",
        otherwise=without_an_earlier_one,
    )


def trajectory_units(ctx: Context):
    qs = ctx.records(Trajectory).filter(start_date__lte=ctx.as_of)
    if ctx.period_from:
        qs = qs.filter(start_date__gte=ctx.period_from)
    if ctx.period_to:
        qs = qs.filter(start_date__lte=ctx.period_to)
    return qs


def first_se_start(ctx: Context):
    """The start of the person's first social-economy spell (one index probe per unit)."""
    first = ctx.records(Employment).filter(employee_id=OuterRef("employee_id"), instrument__isnull=False)
    return Subquery(first.order_by("start_date").values("start_date")[:1])


def regular_in_window(ctx: Context):
    qs = ctx.records(Employment).filter(instrument__isnull=True, start_date__lte=ctx.as_of)
    if ctx.period_from:
        qs = qs.filter(start_date__gte=ctx.period_from)
    if ctx.period_to:
        qs = qs.filter(start_date__lte=ctx.period_to)
    return qs


def transition_spells(ctx: Context):
    """Regular-economy spells started on or before D by a person who had a social-economy spell start before.

    "A social-economy spell started before" is "the first one started before": one probe of the
    person's spells in start order per regular spell, where EXISTS made PostgreSQL hash every
    social-economy spell of the register (docs/benchmarks.md).
    """
    return regular_in_window(ctx).alias(_first_se=first_se_start(ctx)).filter(start_date__gt=F("_first_se"))


def lasting_units(ctx: Context):
    """Each person's first transition spell: the move from the social to the regular economy.

    "No regular spell of the same person in the window starts after their first social-economy
    spell and before this one (or the same day with a lower id)": an anti-join, as for the
    reference evaluation of `ready_units`.
    """
    earlier = regular_in_window(ctx).filter(
        Q(start_date__lt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), id__lt=OuterRef("id")),
        employee_id=OuterRef("employee_id"),
        start_date__gt=OuterRef("_first_se"),
    )
    return transition_spells(ctx).filter(~Exists(earlier))


def regular_at(months, start: str = "start_date"):
    """A regular-economy spell of the person covering the day `months` after the move (a fact of a spell);
    `start`: the unit's field that holds the day of the move."""
    moment = AddMonths(OuterRef(start), months)
    return Q(instrument__isnull=True, start_date__lte=moment) & (Q(end_date__isnull=True) | Q(end_date__gte=moment))


def months_passed(months, start: str = "start_date"):
    """The day `months` after the move is on or before D (a fact of the unit)."""
    return lambda ctx: Q(LessThanOrEqual(AddMonths(F(start), months), Value(ctx.as_of)))


def referral_units(ctx: Context):
    """Referrals sent on or before D (counted date: the day of the referral)."""
    qs = ctx.records(Referral).filter(registered_on__lte=ctx.as_of)
    if ctx.period_from:
        qs = qs.filter(registered_on__gte=ctx.period_from)
    if ctx.period_to:
        qs = qs.filter(registered_on__lte=ctx.period_to)
    return qs


def by_d(field: str, ctx: Context, *, unknown_counts: bool = False) -> Q:
    """The moment in `field` lies on or before the end of D (an unknown moment counts when told)."""
    on_time = Q(**{f"{field}__lte": end_of_day(ctx.as_of)})
    return on_time | Q(**{f"{field}__isnull": True}) if unknown_counts else on_time


def referral_accepted(ctx):
    # A referral started before answers were dated (no answered_at) counts as accepted whatever D.
    return Q(status=ReferralStatus.STARTED) & by_d("answered_at", ctx, unknown_counts=True)


def referral_declined(ctx):
    return Q(status=ReferralStatus.DECLINED) & by_d("answered_at", ctx)


def referral_withdrawn(ctx):
    return Q(status=ReferralStatus.WITHDRAWN) & by_d("withdrawn_at", ctx, unknown_counts=True)


# --- the social-economy employer of a unit (issue 16, "per tewerkstelling") -------------------------


def _employer_and_instrument(employer: str, instrument: str):
    """ "name (instrument)" of an employer and an instrument reached by the paths given."""
    return Concat(
        F(f"{employer}__name"),
        Value(" ("),
        Coalesce(F(f"{instrument}__name"), Value(UNKNOWN)),
        Value(")"),
        output_field=CharField(),
    )


def employer_and_instrument_labels(keys: set) -> dict:
    """{(instrument id, employer id): "name (instrument)"}, as `_employer_and_instrument` labels them."""
    instruments = {pk: name for pk, name in Instrument.objects.values_list("pk", "name")}
    employers = {k[1] for k in keys} - {None}
    found = Organisation._base_manager.filter(pk__in=employers or [-1]).values_list("pk", "name")
    names = {pk: name or "" for pk, name in found}
    return {
        (instrument, employer): f"{names[employer]} ({instruments.get(instrument, UNKNOWN)})"
        for instrument, employer in keys
        if employer in names
    }


def spell_employer(ctx: Context):
    """The employer of a social-economy spell itself, with the spell's instrument.

    Grouped by the ids of the instrument and the employer, named afterwards (`KeyedLabel`): grouping by
    the name joined both tables to every spell and sorted the names (1.5 times the hand-written SQL at
    a million persons, issue 17). The instrument first: PostgreSQL then sorts the spells it reads in a
    row, where grouping by the employer first read them through the index on employer_id, 2.5 times slower.
    """
    label = _employer_and_instrument("employer", "instrument")
    label.keyed = KeyedLabel(columns=("instrument", "employer"), labels=employer_and_instrument_labels)
    return label


def _social_spells(ctx: Context, employee: str):
    return ctx.records(Employment).filter(employee_id=OuterRef(employee), instrument__isnull=False)


def se_employer_at(date: str, *, employee: str = "employee_id", employer: str = "", instrument: str = ""):
    """The `se_employer` dimension: the social-economy employer of the person's spell that covers the unit's
    counted date `date` (the latest started, when several do), with its instrument; failing such a spell, the
    social-economy employer the record itself names (`employer`, `instrument`); else `onbekend`."""

    def expression(ctx: Context):
        on = OuterRef(date)
        spell = (
            _social_spells(ctx, employee)
            .filter(Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on)))
            .order_by("-start_date", "-id")
            .annotate(_label=spell_employer(ctx))
            .values("_label")[:1]
        )
        found = [Subquery(spell, output_field=CharField())]
        if employer:
            found.append(
                Case(
                    When(**{f"{employer}__isnull": False}, then=_employer_and_instrument(employer, instrument)),
                    default=Value(None),
                    output_field=CharField(),
                )
            )
        return Coalesce(*found, Value(UNKNOWN), output_field=CharField())

    return expression


def employer_before_move(ctx: Context, field: str = "_label"):
    """For a move to a regular job (a unit of `lasting_units`): the person's latest social-economy spell
    started before it, as its `field` ("_label": "name (instrument)"; "employer_id": the employer)."""
    spell = (
        _social_spells(ctx, "employee_id").filter(start_date__lt=OuterRef("start_date")).order_by("-start_date", "-id")
    )
    if field == "_label":  # the names only when asked: an id needs no join
        spell = spell.annotate(_label=spell_employer(ctx))
    return Subquery(spell.values(field)[:1])


def se_employer_before_move(ctx: Context):
    """The `se_employer` dimension of a move: the employer of the social-economy spell it moved from."""
    return Coalesce(employer_before_move(ctx), Value(UNKNOWN), output_field=CharField())
