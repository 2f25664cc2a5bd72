"""A child process for the fault tests (tests/test_interrupted.py): runs one workflow and can stop half-way.

    DATABASE_URL=... python -m tests.fault_child <scenario> '<json arguments>'

It runs the real code (the import_records command, the trajectory services)
against the database of DATABASE_URL. With FAULT_MARKER set, it stops at the
scenario's pause point, after some of its writes are made and before the
rest: it writes the marker file and sleeps, so that the test can kill it
with SIGKILL there. Nothing of this is part of the application.
"""

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()


def pause(where: str) -> None:
    """Tell the test the process stands at `where`, then wait for the kill."""
    marker = os.environ.get("FAULT_MARKER")
    if not marker:
        return
    Path(marker).write_text(where)
    time.sleep(600)
    sys.exit("not killed")


def seed(_args) -> dict:
    """The records the workflows start from: a person with a job, an evaluation and a waiting referral, a running trajectory."""
    import datetime

    from evaluations.models import Referral
    from tests import factories

    partner = factories.PartnerFactory()
    employment = factories.EmploymentFactory()
    evaluation = factories.EvaluationFactory(employee=employment.employee, employer=employment.employer)
    referral = Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)
    trajectory = factories.TrajectoryFactory(start_date=datetime.date(2019, 4, 1))
    regular = factories.RegularEmployerFactory()
    return {
        "partner": partner.pk,
        "referral": referral.pk,
        "employee": employment.employee_id,
        "trajectory": trajectory.pk,
        "regular_employer": regular.pk,
    }


def import_records(args) -> dict:
    """`manage.py import_records`, in chunks of `chunk` rows; pauses after the first chunk is written or before the run is recorded."""
    from django.core.management import call_command

    from imports import services
    from imports.management.commands import import_records as command

    services.CHUNK_SIZE = args["chunk"]
    if args.get("pause") == "after_first_chunk":
        write = services._write

        def write_then_pause(*a, **k):
            # `_write` is a generator (it pauses inside the COPY while the next chunk is read): the
            # pause comes once it has run to its end, the chunk and its history written.
            yield from write(*a, **k)
            pause("after_first_chunk")

        services._write = write_then_pause
    elif args.get("pause") == "before_the_run_is_recorded":
        record = command.record_run

        def pause_then_record(**k):
            pause("before_the_run_is_recorded")
            return record(**k)

        command.record_run = pause_then_record
    call_command("import_records", args["kind"], args["file"])
    return {}


def _pause_after_saving(model, where):
    from django.db.models.signals import post_save

    def receiver(sender, instance, created, **kwargs):
        pause(where)

    # After simple-history's own receiver: the record and its history row are written.
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid="fault-pause")


def end_trajectory(args) -> dict:
    """End a trajectory with the job that followed; pauses after the trajectory is saved, before the job is."""
    import datetime

    from partners.models import Organisation
    from trajectories.models import EndReason, Trajectory
    from trajectories.services import trajectory_end

    if args.get("pause"):
        _pause_after_saving(Trajectory, "trajectory_saved")
    trajectory = Trajectory.objects.get(pk=args["trajectory"])
    trajectory_end(
        trajectory=trajectory,
        end_date=datetime.date(2019, 10, 1),
        end_reason=EndReason.objects.get(code="job_regular"),
        next_job={
            "employer": Organisation.objects.get(pk=args["regular_employer"]),
            "start_date": datetime.date(2019, 10, 7),
        },
    )
    return {"trajectory": trajectory.pk}


def start_trajectory(args) -> dict:
    """Start a trajectory from a waiting referral; pauses after the trajectory is saved, before the referral is marked."""
    import datetime

    from evaluations.models import Referral
    from partners.models import Call
    from trajectories.models import Trajectory
    from trajectories.services import trajectory_start

    if args.get("pause"):
        _pause_after_saving(Trajectory, "trajectory_saved")
    referral = Referral.objects.get(pk=args["referral"])
    trajectory = trajectory_start(
        employee=referral.employee,
        partner=referral.partner,
        call=Call.objects.get(number="432"),
        start_date=datetime.date(2019, 6, 1),
        referral=referral,
    )
    return {"trajectory": trajectory.pk}


def _results_in(args) -> None:
    from django.conf import settings

    settings.DOORSTROOM_JOB_RESULTS_DIR = args["results"]


def start_export(args) -> dict:
    """An evaluator, `rows` persons and a background export of the whole list of persons, queued for the worker."""
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from accounts.roles import Role
    from casework.tasks import export_list
    from jobs import services
    from tests import factories

    user = factories.UserFactory()
    user.groups.add(Group.objects.get_or_create(name=Role.EVALUATOR.value)[0])
    factories.EmployeeFactory.create_batch(args["rows"])
    job = services.start(
        user=user,
        kind="list_export",
        label="Export",
        task=export_list,
        parameters={"path": reverse("employees:list"), "query": "", "format": "csv"},
    )
    return {"job": job.pk}


def worker(args) -> dict:
    """`manage.py db_worker --batch`: runs the queued tasks, then stops; pauses after `pause_after` rows."""
    from django.core.management import call_command

    from jobs import services

    _results_in(args)
    if args.get("pause_after"):
        advance = services.Progress.advance

        def advance_then_pause(self, steps=1):
            advance(self, steps)
            if self.done == args["pause_after"]:
                self._write()
                pause("rows_written")

        services.Progress.advance = advance_then_pause
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1")
    return {}


def restart_job(args) -> dict:
    import datetime

    from django.utils import timezone

    from jobs import services
    from jobs.models import BackgroundJob

    # As if DOORSTROOM_JOB_STALE_SECONDS had passed since the killed worker's last sign of life.
    BackgroundJob.objects.filter(pk=args["job"]).update(heartbeat_at=timezone.now() - datetime.timedelta(days=1))
    job = BackgroundJob.objects.get(pk=args["job"])
    interrupted = job.interrupted
    job = services.restart(job)
    return {"interrupted": interrupted, "status": job.status}


SCENARIOS = {
    f.__name__: f for f in (seed, import_records, end_trajectory, start_trajectory, start_export, worker, restart_job)
}

if __name__ == "__main__":
    scenario, arguments = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    print(json.dumps(SCENARIOS[scenario](arguments)))
