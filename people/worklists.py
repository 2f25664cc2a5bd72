"""The work lists of each role's home page: what waits for the user, counted, each a link to its list.

Each count comes from the queryset of the list it links to (so from `visible_to(user)`), one COUNT
per line, so that the home page costs the same number of queries however much is waiting. A count
stops at COUNT_CAP: past it the page says "1.000+", and the list itself tells the whole.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, role_of
from common import kept
from common.numbers import number
from evaluations import services as evaluation_services
from evaluations.models import Evaluation, Referral
from imports.models import REJECTED_RECENT_DAYS, ImportRun
from partners.models import Organisation
from people import data_quality
from trajectories import services as trajectory_services
from trajectories.models import Internship, Trajectory

# Counting a backlog to its last record costs as much as reading it: the evaluator's 40,000 persons
# advised ready and not referred took 265 ms at a million persons, the first 1,001 take 9 ms, with an
# index probe per record instead of hashing whole tables (issue 17, docs/benchmarks.md).
COUNT_CAP = 1000


def capped_count(queryset) -> int:
    """The number of records, up to COUNT_CAP + 1 (then: more than COUNT_CAP); kept until a table the count
    reads changes (common/kept.py): every user of a role asks the same counts on each visit of the home page."""
    return kept.count(queryset.order_by()[: COUNT_CAP + 1])


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int  # up to COUNT_CAP + 1: see `more`
    url: str

    @property
    def more(self) -> bool:
        """More records wait than the count shows."""
        return self.count > COUNT_CAP

    @property
    def cap(self) -> str:
        """COUNT_CAP as the interface's language writes numbers (1.000 in Dutch)."""
        return number(COUNT_CAP)


def _evaluator_lists(user, today):
    referrals = Referral.objects.visible_to(user)
    return [
        WorkItem(
            _("Persons advised 'doorstroomklaar' and not referred yet"),
            capped_count(Evaluation.objects.visible_to(user).ready_unreferred()),
            reverse("evaluations:ready_unreferred"),
        ),
        WorkItem(
            _("Referrals not taken up after %(days)s days") % {"days": evaluation_services.NOT_TAKEN_UP_DAYS},
            capped_count(referrals.waiting_since(evaluation_services.NOT_TAKEN_UP_DAYS, today)),
            reverse("evaluations:referral_not_taken_up"),
        ),
    ]


def _data_quality(user):
    """The records that break a data-quality rule, all kinds together (one COUNT per kind)."""
    return WorkItem(
        _("Records to fix before the figures are sent"),
        min(sum(data_quality.counts(user, cap=COUNT_CAP + 1).values()), COUNT_CAP + 1),
        reverse("data_quality"),
    )


def _partner_lists(user, today):
    items = [
        WorkItem(
            _("Referrals waiting for your answer"),
            capped_count(Referral.objects.visible_to(user).waiting()),
            reverse("evaluations:referral_list") + "?status=waiting",
        ),
        WorkItem(
            _("Trajectories past their planned end without an end"),
            capped_count(Trajectory.objects.visible_to(user).past_planned_end(today)),
            reverse("trajectories:past_planned_end"),
        ),
        WorkItem(
            _("Internships running longer than the call allows"),
            capped_count(Internship.objects.visible_to(user).running_longer_than_allowed(today)),
            reverse("trajectories:internships_too_long"),
        ),
        WorkItem(
            _("Jobs found whose employer is still to be recorded"),
            capped_count(Trajectory.objects.visible_to(user).awaiting_job()),
            reverse("trajectories:awaiting_job"),
        ),
        _data_quality(user),
    ]
    for months in trajectory_services.FOLLOW_UP_MARKS:
        items.append(
            WorkItem(
                _("Jobs to follow up at %(months)s months") % {"months": months},
                capped_count(trajectory_services.jobs_to_follow_up(user, months, today)),
                reverse("trajectories:job_follow_up", kwargs={"months": months}),
            )
        )
    return items


def _administrator_lists(user, today):
    return [
        WorkItem(
            _("Organisations proposed by partners, to confirm or merge"),
            capped_count(Organisation.objects.visible_to(user).proposed()),
            reverse("partners:organisation_proposed"),
        ),
        WorkItem(
            _("Trajectories started without a referral"),
            capped_count(Trajectory.objects.visible_to(user).without_referral()),
            reverse("trajectories:access_review"),
        ),
        WorkItem(
            _("Referrals unanswered after %(days)s days") % {"days": evaluation_services.answer_days()},
            capped_count(evaluation_services.overdue_referrals(Referral.objects.visible_to(user), today=today)),
            reverse("evaluations:referral_overdue"),
        ),
        WorkItem(
            _("Imports rejected for errors in the last %(days)s days") % {"days": REJECTED_RECENT_DAYS},
            capped_count(ImportRun.objects.visible_to(user).rejected_recently(today)),
            reverse("imports:rejected"),
        ),
        _data_quality(user),
    ]


def work_lists(user, today=None) -> list[WorkItem]:
    """The work lists of the user's role, each with its count and the address of its list."""
    today = today or timezone.localdate()
    builder = {
        Role.EVALUATOR: _evaluator_lists,
        Role.PARTNER_STAFF: _partner_lists,
        Role.ADMINISTRATOR: _administrator_lists,
    }.get(role_of(user))
    return builder(user, today) if builder else []
