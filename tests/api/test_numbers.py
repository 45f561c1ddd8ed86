"""The API's numbers are the pages' numbers, for every target of the seed: the verdict the
target page computes from the values, and the values in the page's table (its CSV)."""

import csv
import io

import pytest

from indicators.models import GoalTarget
from tests.api.conftest import every_row

pytestmark = pytest.mark.django_db


def page_table(client, target) -> dict[str, str]:
    """The values of the target page's table as its CSV download gives them, {period label:
    value}, without the ones derived from the schools' values (the API gives those as the
    schools reported them)."""
    answer = client.get(target.get_absolute_url() + "data.csv")
    return {
        row["periode"]: row["vaerdi"]
        for row in csv.DictReader(io.StringIO(answer.text))
        if row["vaerdi"] and not row["kilde"].startswith("Beregnet")
    }


def test_every_seed_targets_assessment_is_the_one_its_page_computes(client, seed):
    targets = list(GoalTarget.objects.public().with_progress())
    answers = {row["id"]: row for row in every_row(client, "/api/v1/targets/")}

    assert len(targets) == len(answers) > 3
    assert any(target.assessment.latest is not None for target in targets)
    for target in targets:
        shown, computed = answers[target.pk]["assessment"], target.assessment
        latest, forecast = computed.latest, computed.forecast
        assert shown["status"] == computed.status
        assert shown["progress"] == pytest.approx(computed.progress)
        assert shown["expected"] == pytest.approx(computed.expected)
        assert shown["latest_period"] == (latest and latest.period)
        assert shown["latest_value"] == (latest and latest.value)
        assert shown["forecast_period"] == (forecast and forecast.period)
        assert shown["forecast_pace"] == pytest.approx(forecast and forecast.pace)
        assert answers[target.pk]["url"] == f"http://testserver{target.get_absolute_url()}"


def test_every_seed_value_is_the_one_in_its_target_pages_table(client, seed):
    compared = 0
    for target in GoalTarget.objects.public().select_related("indicator__organization"):
        table = page_table(client, target)
        indicator = target.indicator
        values = every_row(client, f"/api/v1/values/?indicator={indicator.pk}")
        own = {
            row["period_label"]: row["value"]
            for row in values
            if row["reported_by"] == indicator.organization.slug
        }
        assert table.keys() <= own.keys()
        for label in table:
            assert float(table[label]) == own[label], (target, label)
            compared += 1

    assert compared >= 1
