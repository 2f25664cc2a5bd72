"""Trajectory workflows: start one (from a referral or a look-up), end it with its reason and the job that followed."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.functions import AddMonths
from employees.models import Employee, Employment
from employees.services import employment_end, employment_record, social_economy_job_on
from evaluations.models import Referral
from evaluations.services import referral_accept
from trajectories.constants import FOLLOW_UP_MARKS, JOB_FOUND
from trajectories.forms import REASON_REQUIRED
from trajectories.models import Internship, JobFollowUp, Trajectory


def trajectory_start(
    *,
    employee: Employee,
    partner,
    call,
    start_date: datetime.date,
    caseworker=None,
    se_employer=None,
    instrument=None,
    voortraject_start: datetime.date | None = None,
    planned_end_date: datetime.date | None = None,
    notes: str = "",
    referral: Referral | None = None,
    access_reason: str = "",
    reason_without_referral: bool = False,
) -> Trajectory:
    """Start a trajectory; without an employer and instrument given, take those of the social-economy job
    on the start date; without a planned end, take the start plus the call's duration (`planned_end`);
    a referral it answers is marked started and linked to it.

    With `reason_without_referral` (a start from a look-up by INSZ), a person not referred to the
    partner needs a written `access_reason`: it is stored on the trajectory, which then appears in the
    administrators' review (`Trajectory.objects.without_referral()`)."""
    access_reason = (access_reason or "").strip()
    if reason_without_referral:
        if referred_to(employee=employee, partner=partner):
            access_reason = ""
        elif not access_reason:
            raise ValidationError({"access_reason": REASON_REQUIRED})
    if se_employer is None and instrument is None:
        spell = social_economy_job_on(employee=employee, on=start_date)
        if spell is not None:
            se_employer, instrument = spell.employer, spell.instrument
    trajectory = Trajectory(
        employee=employee,
        partner=partner,
        call=call,
        start_date=start_date,
        caseworker=caseworker,
        se_employer=se_employer,
        instrument=instrument,
        voortraject_start=voortraject_start,
        planned_end_date=planned_end_date or planned_end(call, start_date),
        notes=notes,
        access_reason=access_reason,
    )
    with transaction.atomic():
        trajectory.full_clean()
        trajectory.save()
        if referral is not None:
            referral_accept(referral=referral, trajectory=trajectory, by=caseworker)
    return trajectory


def planned_end(call, start_date: datetime.date | None) -> datetime.date | None:
    """The planned end of a trajectory of this call starting on this day: the last day of the call's
    duration (`Call.trajectory_months` months; 01/04/2019 and 10 months give 31/01/2020), or None when the
    call sets no duration."""
    months = getattr(call, "trajectory_months", None)
    if not months or start_date is None:
        return None
    return months_before(start_date, -months) - datetime.timedelta(days=1)


def referred_to(*, employee: Employee, partner) -> bool:
    """Whether the person was ever referred to this partner (a referral gives access without a reason)."""
    partner_id = getattr(partner, "pk", partner)
    return partner_id is not None and Referral.objects.filter(employee=employee, partner_id=partner_id).exists()


def withdraw_access(*, trajectory: Trajectory, by) -> bool:
    """An administrator withdraws a partner's access through this trajectory: who and when are stored
    (with history); from then on `visible_to` hides the trajectory, and the person unless referred, from
    the partner. False when it was already withdrawn (nothing changes)."""

    with transaction.atomic():
        locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
        if locked.access_withdrawn_at is not None:
            return False
        locked.access_withdrawn_at = timezone.now()
        locked.access_withdrawn_by = by
        locked.save()
    trajectory.access_withdrawn_at, trajectory.access_withdrawn_by = locked.access_withdrawn_at, by
    return True


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def running_internships(trajectory: Trajectory, end_date: datetime.date | None = None):
    """The trajectory's internships still running on its end date: without an end, or ending after it
    (without an end date given, those without an end)."""
    running = Q(end_date__isnull=True)
    if end_date is not None:
        running |= Q(end_date__gt=end_date, start_date__lte=end_date)
    return trajectory.internships.filter(running).select_related("host").order_by("start_date", "pk")


def trajectory_end(
    *,
    trajectory: Trajectory,
    end_date: datetime.date,
    end_reason,
    next_job: dict | None = None,
    job_unknown: bool = False,
    end_internships: bool = False,
) -> tuple[Trajectory, Employment | None]:
    """End a trajectory with its reason and, when known, record the job that followed as an employment spell.

    The rules every way in shares (form, import, API): no internship may start after the end; the
    internships still running on the end date end that day, in the same step, once the caller confirmed
    it (`end_internships`, after saying so); the end reason "found a job" asks for the job, or for
    `job_unknown`: the trajectory then stays on the partner's follow-up list (`awaiting_job`) until a
    job is recorded."""
    errors = {}
    late = trajectory.internships.filter(start_date__gt=end_date).select_related("host").order_by("start_date")
    for internship in late[:1]:
        errors["end_date"] = _(
            "The internship at %(host)s starts on %(start)s, after this end date. Correct the internship first."
        ) % {"host": internship.host, "start": _day(internship.start_date)}
    running = list(running_internships(trajectory, end_date))
    if running and not end_internships and not errors:
        errors["end_internships"] = _(
            "Still running: %(internships)s. Confirm that they end on %(end)s together with the trajectory."
        ) % {"internships": describe_internships(running), "end": _day(end_date)}
    if getattr(end_reason, "code", None) == JOB_FOUND and not next_job and not job_unknown:
        errors["job_employer"] = _(
            "The trajectory ends with a job: give the employer and the start of the job, or tick that the "
            "employer is not known yet."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        trajectory.end_date = end_date
        trajectory.end_reason = end_reason
        trajectory.full_clean()
        trajectory.save()
        if running:
            end_running_internships([trajectory])
        spell = None
        if next_job:
            spell = employment_record(employee=trajectory.employee, **next_job)
    return trajectory, spell


def end_running_internships(trajectories, *, user=None, reason: str = "", when=None) -> int:
    """End, on their trajectory's end date, the internships still running then (with history); the
    number ended. The form's step and the import share it."""
    by_day = defaultdict(list)
    for trajectory in trajectories:
        by_day[trajectory.end_date].append(trajectory.pk)
    ended = 0
    for day, ids in by_day.items():
        running = Q(end_date__isnull=True) | Q(end_date__gt=day)
        ended += (
            Internship.objects.filter(trajectory_id__in=ids, start_date__lte=day)
            .filter(running)
            .update_with_history(reason=reason or _("ended with its trajectory"), user=user, when=when, end_date=day)
        )
    return ended


def describe_internships(internships) -> str:
    return ", ".join(
        _("the internship at %(host)s since %(start)s") % {"host": i.host, "start": _day(i.start_date)}
        for i in internships
    )


def internship_save(internship: Internship) -> Internship:
    """Record an internship, new or changed, and let the trajectory's phase dates follow.

    A new internship cannot be added to an ended trajectory; none may start after its trajectory's end
    (Internship.clean, which the import shares). The first internship sets the start of the phase
    "internship" (`follow_internship_phase`, which the import shares too)."""
    with transaction.atomic():
        trajectory = Trajectory.objects.select_for_update().get(pk=internship.trajectory_id)
        if internship.pk is None and trajectory.end_date is not None:
            raise ValidationError(
                _("This trajectory ended on %(end)s: no internship can be added to it any more.")
                % {"end": _day(trajectory.end_date)}
            )
        internship.trajectory = trajectory
        internship.full_clean()
        internship.save()
        follow_internship_phase([trajectory.pk])
    return internship


def follow_internship_phase(trajectory_ids, *, user=None, reason: str = "", when=None) -> int:
    """Set the start of the phase "internship" of these trajectories to the start of their first
    internship, when it is empty or later, and the other phases and the end leave room for it
    (a phase order a person set by hand is not overturned). The number of trajectories changed."""
    firsts = (
        Internship.objects.filter(trajectory_id__in=list(trajectory_ids))
        .order_by()
        .values("trajectory_id")
        .annotate(first=Min("start_date"))
    )
    by_day = defaultdict(list)
    for row in firsts:
        by_day[row["first"]].append(row["trajectory_id"])
    changed = 0
    for day, ids in by_day.items():
        fits = (
            (Q(stage_start__isnull=True) | Q(stage_start__gt=day))
            & (Q(voortraject_start__isnull=True) | Q(voortraject_start__lte=day))
            & (Q(jobmatching_start__isnull=True) | Q(jobmatching_start__lte=day))
            & (Q(nazorg_start__isnull=True) | Q(nazorg_start__gte=day))
            & (Q(end_date__isnull=True) | Q(end_date__gte=day))
        )
        changed += (
            Trajectory.objects.filter(pk__in=ids)
            .filter(fits)
            .update_with_history(
                reason=reason or _("the phase follows the first internship"), user=user, when=when, stage_start=day
            )
        )
    return changed


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the last day of that month when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return min(
        day.replace(year=year, month=month, day=1) + datetime.timedelta(days=day.day - 1),
        following - datetime.timedelta(days=1),
    )


def jobs_to_follow_up(user, months: int, today: datetime.date | None = None):
    """Regular-economy jobs the user may see that started on or after the start of one of the user's
    trajectories of the person, whose `months`-month mark has passed and that have no follow-up for
    that mark yet (`JobFollowUp`). A job that ended before the mark is not followed up at it."""
    today = today or timezone.localdate()
    trajectories = Trajectory.objects.visible_to(user).filter(
        employee_id=OuterRef("employee_id"), start_date__lte=OuterRef("start_date")
    )
    followed_up = JobFollowUp.objects.filter(employment_id=OuterRef("pk"), mark=months)
    return (
        Employment.objects.visible_to(user)
        .filter(instrument__isnull=True, start_date__lte=months_before(today, months))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=AddMonths(F("start_date"), months)))
        .filter(Exists(trajectories))
        .exclude(Exists(followed_up))
    )


def job_follow_up_record(
    *,
    employment: Employment,
    mark: int,
    checked_on: datetime.date,
    still_in_work: bool,
    job_end_date: datetime.date | None = None,
    note: str = "",
    by=None,
) -> JobFollowUp:
    """Record the follow-up of a job at a mark; when the person no longer works there, end the job on
    `job_end_date` (through employees.services, in the same transaction), which the follow-up asks for."""
    errors = {}
    if mark not in FOLLOW_UP_MARKS:
        errors["mark"] = _("A job is followed up at 3, 6 or 12 months.")
    if not still_in_work and job_end_date is None:
        errors["job_end_date"] = _("The person no longer works there: give the last day of the job.")
    if still_in_work and job_end_date is not None:
        errors["job_end_date"] = _("The person still works there: leave the end of the job empty.")
    if job_end_date and checked_on and job_end_date > checked_on:
        errors["job_end_date"] = _("The job cannot end after the day of the follow-up (%(day)s).") % {
            "day": _day(checked_on)
        }
    if errors:
        raise ValidationError(errors)
    follow_up = JobFollowUp(
        employment=employment,
        mark=mark,
        checked_on=checked_on,
        still_in_work=still_in_work,
        note=(note or "").strip(),
        recorded_by=by,
    )
    with transaction.atomic():
        follow_up.full_clean()
        follow_up.save()
        if not still_in_work:
            employment_end(employment=employment, end_date=job_end_date)
    return follow_up
