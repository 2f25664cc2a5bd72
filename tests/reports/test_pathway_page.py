"""The pathway page (issue 16): the report with its funnel drawn as SVG, its JSON export, its place in the pack."""

import io
import json
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import as_dict
from reports.models import SavedReport
from reports.services import run_report
from tests import factories
from tests.reports.test_pathway import AS_OF, D, cohort  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
SLUG = "pathway_by_cohort_year"


def test_the_pathway_page_draws_the_funnel_with_its_numbers_readable_without_colour(client, administrator, cohort):  # noqa: F811
    client.force_login(administrator)

    response = client.get(reverse("reports:run", args=[SLUG]), {"as_of": AS_OF.isoformat()})

    page = response.content.decode()
    assert response.status_code == 200
    funnel = response.context["funnel"]
    assert [bar["code"] for bar in funnel["bars"]][:8] == [
        "advised_ready",
        "referred",
        "trajectory_started",
        "internship",
        "trajectory_ended",
        "regular_job",
        "regular_work_6_months",
        "regular_work_12_months",
    ]
    texts = {bar["code"]: bar["text"] for bar in funnel["bars"]}
    assert texts["advised_ready"] == "6"
    assert texts["referred"] == "3 (50 %)"
    assert texts["regular_work_12_months"] == "1 (16,7 %)"
    assert texts["regular_job_without_trajectory"] == "1 (16,7 %)"
    assert 'role="img"' in page and 'aria-labelledby="funnel-title funnel-desc"' in page
    assert '<desc id="funnel-desc">1. ' in page and "3 (50 %)" in page
    assert response.context["chart"] is None  # the funnel replaces the bars


def test_a_suppressed_step_shows_no_number_in_the_funnel(client, administrator, cohort):  # noqa: F811
    report = SavedReport.objects.get(slug=SLUG)
    report.suppress_small_cells = True
    report.save()
    client.force_login(administrator)

    response = client.get(reverse("reports:run", args=[SLUG]), {"as_of": AS_OF.isoformat()})

    texts = {bar["code"]: bar["text"] for bar in response.context["funnel"]["bars"]}
    # Every cohort is smaller than 5: every total sums a suppressed cell, so none is given.
    assert texts["advised_ready"] == texts["referred"] == "x"
    assert texts["trajectory_ended"] == "x"
    assert "3 (50 %)" not in response.content.decode()


def test_export_report_gives_the_shape_of_every_other_report(cohort):  # noqa: F811
    out = io.StringIO()
    call_command("export_report", SLUG, as_of=AS_OF.isoformat(), format="json", stdout=out)
    exported = json.loads(out.getvalue())

    other = as_dict(run_report(SavedReport.objects.get(slug="q1_ready_at_work"), as_of=AS_OF))
    assert set(exported) == set(other) == {"slug", "title", "as_of", "dimensions", "rows"}
    assert exported["dimensions"] == ["step", "year"]
    assert {"step": "advised_ready", "year": "2020", "value": 3} in exported["rows"]
    assert {"step": "advised_ready", "year": "onbekend", "value": 1} in exported["rows"]
    assert all(set(row) == {"step", "year", "value"} for row in exported["rows"])


def test_both_reports_of_issue_16_are_in_the_pack_and_its_workbook(client, administrator, cohort):  # noqa: F811
    client.force_login(administrator)
    pack = SavedReport.objects.filter(in_pack=True)
    assert {SLUG, "transitions_by_se_employer"} <= set(pack.values_list("slug", flat=True))
    assert SavedReport.objects.get(slug="transitions_by_se_employer").suppress_small_cells

    response = client.get(reverse("reports:pack_export"), {"as_of": AS_OF.isoformat()})

    assert response.status_code == 200
    firsts = [sheet["A1"].value for sheet in load_workbook(io.BytesIO(response.content)).worksheets]
    assert SavedReport.objects.get(slug=SLUG).name in firsts
    assert SavedReport.objects.get(slug="transitions_by_se_employer").name in firsts


def test_the_persons_behind_a_step_of_the_pathway_are_those_counted(client, administrator, cohort):  # noqa: F811
    client.force_login(administrator)
    query = urlencode({"step": "regular_job", "year": "onbekend", "as_of": AS_OF.isoformat()})

    response = client.get(reverse("reports:cell", args=[SLUG]) + "?" + query)

    assert response.status_code == 200
    assert [line.person for line in response.context["lines"]] == [cohort["undated"]]


def test_the_records_behind_a_figure_per_employer_are_of_that_figure(client, administrator, cohort):  # noqa: F811
    factories.EmploymentFactory(employee=cohort["whole"], start_date=D(2016, 1, 4), end_date=D(2019, 10, 31))
    client.force_login(administrator)
    run = run_report(SavedReport.objects.get(slug="transitions_by_se_employer"), as_of=AS_OF)
    label = next(label for label in run.result.labels["se_employer"] if run.result.value((label, "moved_external")))
    query = urlencode({"se_employer": label, "status": "moved_external", "as_of": AS_OF.isoformat()})

    response = client.get(reverse("reports:cell", args=["transitions_by_se_employer"]) + "?" + query)

    assert response.status_code == 200
    assert [line.person for line in response.context["lines"]] == [cohort["whole"]]
