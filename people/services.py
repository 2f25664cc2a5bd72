"""What the person's page shows across the apps: where the person stands on a date, and one timeline of
their jobs, evaluations, trajectories and internships; and a partner's look-up by INSZ, with its limits."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.constants import AccessAction
from audit.models import AccessEvent
from audit.services import record_access
from common.validators import normalise_insz
from employees.models import Employee, Employment
from evaluations.models import Evaluation, Referral
from people.work_status import WorkSituation, WorkStatus, started_trajectories, work_situation
from trajectories.models import Internship, JobFollowUp, Trajectory

logger = logging.getLogger(__name__)


class CurrentState(models.TextChoices):
    REGULAR_INTERNAL = WorkStatus.REGULAR_INTERNAL.value, WorkStatus.REGULAR_INTERNAL.label
    REGULAR_EXTERNAL = WorkStatus.REGULAR_EXTERNAL.value, WorkStatus.REGULAR_EXTERNAL.label
    IN_TRAJECTORY = "in_trajectory", _("in a transition trajectory")
    BACK_IN_SOCIAL_ECONOMY = WorkStatus.BACK_IN_SOCIAL_ECONOMY.value, WorkStatus.BACK_IN_SOCIAL_ECONOMY.label
    SOCIAL_ECONOMY = WorkStatus.SOCIAL_ECONOMY.value, WorkStatus.SOCIAL_ECONOMY.label
    NONE = "none", _("no job or trajectory known")


@dataclass(frozen=True)
class PersonState:
    """Where a person stands on a date: the state shown on the person's page, and the work situation behind it."""

    state: CurrentState
    work: WorkSituation

    @property
    def label(self):
        return self.state.label

    def __str__(self) -> str:
        return self.state.value


def employee_current_state(*, employee: Employee, on: datetime.date, spells=None) -> PersonState:
    """Where the person stands on a date (two queries; one when the caller passes `spells`, all of the
    person's spells with their employer in the order of `work_status.person_spells`).

    A regular job comes first (internal or external transition, from
    `work_status`), then a running trajectory, then a social-economy job (back
    in it after a regular job, or not), else nothing known. The work situation
    itself is computed only in `employees.work_status`.
    """
    # Read always, so that the page runs the same queries whatever the state: the trajectories started by
    # then give both the employer of an internal transition and whether one runs on the date.
    started = started_trajectories(employee, on)
    work = work_situation(employee, on, spells=spells, started=started)
    running = any(t["end_date"] is None or t["end_date"] >= on for t in started)
    if work.in_regular_work:
        return PersonState(CurrentState(work.status), work)
    if running:
        return PersonState(CurrentState.IN_TRAJECTORY, work)
    if work.status == WorkStatus.NOT_AT_WORK:
        return PersonState(CurrentState.NONE, work)
    return PersonState(CurrentState(work.status), work)


# The columns the person's page shows (employees/employee_detail.html) and the work situation reads: the
# timeline's rows are read with only these (a label of a managed list is read in either language).
SPELL_FIELDS = (
    "start_date",
    "end_date",
    "with_support_package",
    "employee_id",
    "employer__name",
    "instrument__name",
)
EVALUATION_FIELDS = ("evaluation_date", "employee_id", "advice__label_nl", "advice__label_en", "employer__name")
REFERRAL_FIELDS = (
    "registered_on",
    "employee_id",
    "status",
    "answered_at",
    "withdrawn_at",
    "partner__name",
    "decline_reason__label_nl",
    "decline_reason__label_en",
)
TRAJECTORY_FIELDS = (
    "start_date",
    "end_date",
    "employee_id",
    "partner__name",
    "end_reason__label_nl",
    "end_reason__label_en",
)
INTERNSHIP_FIELDS = ("start_date", "end_date", "trajectory_id", "sector", "outcome", "host__name")
FOLLOW_UP_FIELDS = ("employment_id", "mark", "checked_on", "still_in_work", "note")


def visible_spells(*, employee: Employee, user) -> list[Employment]:
    """The person's employment spells the user may see, with employer and instrument, by start (one query).

    The person's page reads them once for the state and for the timeline. A spell is visible with its
    person (EmploymentQuerySet's scope), so on the page of a person the user may open these are all of
    the person's spells, which is what the work situation is computed from
    (tests/test_person_state.py checks that partner staff see the state administrators see).
    """
    return list(
        Employment.objects.visible_to(user)
        .filter(employee=employee)
        .select_related("employer", "instrument")
        .only(*SPELL_FIELDS)
        .order_by("start_date", "pk")
    )


class LookupLimitReached(Exception):
    """A look-up refused because the user reached a limit; `message` says which, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def lookup_limit_message(user) -> str | None:
    """Why this user may not look up another person now (the hour or the day limit), or None.

    Counted from the access log (one query), so that the limit holds across workers and restarts:
    look-ups in the last hour and in the last 24 hours against DOORSTROOM_LOOKUP_LIMIT_PER_HOUR and
    DOORSTROOM_LOOKUP_LIMIT_PER_DAY.
    """
    now = timezone.now()
    hour_ago, day_ago = now - datetime.timedelta(hours=1), now - datetime.timedelta(hours=24)
    counted = AccessEvent.objects.filter(user=user, action=AccessAction.INSZ_LOOKUP, occurred_at__gt=day_ago).aggregate(
        day=Count("id"),
        hour=Count("id", filter=Q(occurred_at__gt=hour_ago)),
        first_of_day=Min("occurred_at"),
        first_of_hour=Min("occurred_at", filter=Q(occurred_at__gt=hour_ago)),
    )
    per_hour, per_day = settings.DOORSTROOM_LOOKUP_LIMIT_PER_HOUR, settings.DOORSTROOM_LOOKUP_LIMIT_PER_DAY
    if counted["day"] >= per_day:
        message, limit = _("You have reached the limit of %(limit)s look-ups per day."), per_day
        again = counted["first_of_day"] + datetime.timedelta(hours=24)
    elif counted["hour"] >= per_hour:
        message, limit = _("You have reached the limit of %(limit)s look-ups per hour."), per_hour
        again = counted["first_of_hour"] + datetime.timedelta(hours=1)
    else:
        return None
    when = formats.date_format(timezone.localtime(again), "d/m/Y H:i")
    return " ".join(
        [
            str(message) % {"limit": limit},
            str(
                _(
                    "You can look a person up again from %(when)s. Persons referred to your organisation are in your "
                    "work queue without a look-up."
                )
            )
            % {"when": when},
        ]
    )


def person_lookup(*, user, insz: str) -> AccessEvent:
    """Look one person up by exact INSZ and record it in the access log: who looked, when, what, whom it found.

    Over the user's hour or day limit nothing is looked up: the refusal is recorded (an event of
    action insz_lookup_refused, with the number asked for, and a warning in the log) and
    LookupLimitReached raised. The refusal is written outside the look-up's own savepoint, so that
    it stays when the caller catches the exception (PersonLookupView does, and answers 429).
    """
    number = normalise_insz(insz)
    with transaction.atomic():
        # One look-up of a user at a time (the row lock holds across workers on PostgreSQL): two
        # requests at once cannot both pass a limit that only one more look-up would reach.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        refusal = lookup_limit_message(user)
        if refusal is None:
            employee = Employee.objects.with_insz(number).first()
            return record_access(user=user, action=AccessAction.INSZ_LOOKUP, employee=employee, insz=number)
    event = record_access(user=user, action=AccessAction.INSZ_LOOKUP_REFUSED, insz=number)
    logger.warning(
        "INSZ look-up refused: user %s (id %s) reached a look-up limit (access event %s).",
        user.get_username(),
        user.pk,
        event.pk,
    )
    raise LookupLimitReached(refusal)


def lookup_result(*, lookup: AccessEvent, user) -> dict | None:
    """What the look-up page may show of the person found: name and birth year to confirm the identity,
    and a link to the person's page only when the user may already open it (a referral or a trajectory
    of their organisation). Nothing else of the person leaves this function: no evaluations, no jobs,
    no birth date. None when the number belongs to nobody registered."""
    if not lookup.found:
        return None
    employee = lookup.employee
    visible = Employee.objects.visible_to(user).filter(pk=employee.pk).exists()
    return {
        "name": str(employee),
        "birth_year": employee.birth_date.year if employee.birth_date else None,
        "insz": lookup.insz,
        "person_url": reverse("employees:detail", args=[employee.pk]) if visible else None,
        "start_url": reverse("trajectories:start_from_lookup", args=[lookup.pk]),
    }


def lookups_without_trajectory(events):
    """The look-ups by INSZ among `events` after which the user's organisation has no trajectory of the
    person: those that found nobody, and those of a person the organisation never started guiding."""
    started = Trajectory.objects.filter(employee=OuterRef("employee"), partner=OuterRef("organisation"))
    return events.filter(action=AccessAction.INSZ_LOOKUP).exclude(Exists(started))


def _event(date, end, kind, label, record) -> dict:
    return {"date": date, "end": end, "kind": kind, "label": label, "object": record}


def _case_events(employee: Employee, user) -> list[dict]:
    """The person's evaluations, referrals, trajectories and internships the user may see, in that order."""
    events = [
        _event(evaluation.evaluation_date, None, "evaluation", _("Evaluation"), evaluation)
        for evaluation in Evaluation.objects.visible_to(user)
        .filter(employee=employee)
        .select_related("advice", "employer")
        .only(*EVALUATION_FIELDS)
    ]
    for referral in (
        Referral.objects.visible_to(user)
        .filter(employee=employee)
        .select_related("partner", "decline_reason")
        .only(*REFERRAL_FIELDS)
    ):
        answered = referral.answered_at or referral.withdrawn_at
        end = timezone.localdate(answered) if answered else None
        events.append(_event(referral.registered_on, end, "referral", _("Referral"), referral))
    events += [
        _event(trajectory.start_date, trajectory.end_date, "trajectory", _("Trajectory"), trajectory)
        for trajectory in Trajectory.objects.visible_to(user)
        .filter(employee=employee)
        .select_related("partner", "end_reason")
        .only(*TRAJECTORY_FIELDS)
    ]
    events += [
        _event(internship.start_date, internship.end_date, "internship", _("Internship"), internship)
        for internship in Internship.objects.visible_to(user)
        .filter(trajectory__employee=employee)
        .select_related("host")
        .only(*INTERNSHIP_FIELDS)
    ]
    return events


def _follow_up_events(employee: Employee, user, spells) -> list[dict]:
    """The follow-ups of the person's jobs; each follow-up's job is one of `spells` (with its employer):
    not read again."""
    jobs = {spell.pk: spell for spell in spells}
    events = []
    for follow_up in JobFollowUp.objects.visible_to(user).filter(employment__employee=employee).only(*FOLLOW_UP_FIELDS):
        if follow_up.employment_id in jobs:
            follow_up.employment = jobs[follow_up.employment_id]
        events.append(_event(follow_up.checked_on, None, "follow_up", _("Follow-up of a job"), follow_up))
    return events


def timeline(*, employee: Employee, user, spells=None) -> list[dict]:
    """One chronological list of the person's jobs, evaluations, referrals, trajectories, internships and
    follow-ups of jobs the user may see; a referral is dated by the day it was sent and ends on the day it was answered or withdrawn.

    `spells` is `visible_spells(employee=employee, user=user)` when the caller read it already.
    """
    if spells is None:
        spells = visible_spells(employee=employee, user=user)
    events = [
        _event(
            spell.start_date,
            spell.end_date,
            "regular_job" if spell.is_regular else "se_job",
            _("Job in the regular economy") if spell.is_regular else _("Social-economy job"),
            spell,
        )
        for spell in spells
    ]
    events += _case_events(employee, user)
    events += _follow_up_events(employee, user, spells)
    # Undated events (an evaluation whose date is unknown) come first, as the oldest.
    events.sort(key=lambda e: (e["date"] is not None, e["date"] or datetime.date.min))
    return events
