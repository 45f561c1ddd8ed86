"""The API's numbers are the pages' numbers, for every target of the seed and for a target
whose owner's numbers are computed from its schools': the verdict the target page computes
from the values, and every row of the page's table (its CSV), to the last decimal."""

import csv
import io

import pytest

from indicators.models import GoalTarget, Metric, published_number
from tests.api.conftest import every_row
from tests.portal.test_school_values import report, reported_by_schools

pytestmark = pytest.mark.django_db


def plain(number: float | None) -> str:
    """A number as the target page's CSV writes it (strategyportal/views.py: `_plain`)."""
    return "" if number is None else f"{number:.4f}".rstrip("0").rstrip(".")


def page_table(client, target) -> list[dict[str, str]]:
    """The target page's table as its CSV download gives it."""
    answer = client.get(target.get_absolute_url() + "data.csv")
    return list(csv.DictReader(io.StringIO(answer.text)))


@pytest.fixture
def computed_from_schools():
    """A weighted mean of the schools' shares that is no short decimal: (7 x 20 + 2 x 30) / 9
    = 22.2222… % in 2024, after 86 % in 2023."""
    target, schools = reported_by_schools(
        Metric.Aggregation.WEIGHTED_MEAN, weight_label="antal elever i årgangen"
    )
    report(target, schools[:1], [20], weight=7)
    report(target, schools[1:2], [30], weight=2)
    report(target, schools, [84, 86, 88], period=2023, weight=7)
    return target


def test_every_seed_targets_assessment_is_the_one_its_page_computes(client, seed):
    targets = list(GoalTarget.objects.public().with_progress())
    answers = {row["id"]: row for row in every_row(client, "/api/v1/targets/")}

    assert len(targets) == len(answers) > 3
    assert any(target.assessment.latest is not None for target in targets)
    for target in targets:
        shown, computed = answers[target.pk]["assessment"], target.assessment
        latest, forecast = computed.latest, computed.forecast
        withheld = target.hides_latest
        assert shown["status"] == computed.status
        assert shown["progress"] == (None if withheld else published_number(computed.progress))
        assert shown["expected"] == published_number(computed.expected)
        assert shown["latest_period"] == (latest and latest.period)
        assert shown["latest_value"] == (
            None if withheld else published_number(latest and latest.value)
        )
        assert shown["forecast_period"] == (forecast and forecast.period)
        assert shown["forecast_pace"] == (
            None if withheld else published_number(forecast and forecast.pace)
        )
        assert answers[target.pk]["url"] == f"http://testserver{target.get_absolute_url()}"


def test_every_row_of_every_target_page_is_the_apis_series(client, seed, computed_from_schools):
    targets = list(GoalTarget.objects.public())
    assert computed_from_schools in targets
    computed = 0
    for target in targets:
        table = page_table(client, target)
        series = client.get(f"/api/v1/targets/{target.pk}/series/").json()

        assert [row["period_label"] for row in series] == [row["periode"] for row in table]
        for shown, page in zip(series, table, strict=True):
            assert plain(shown["value"]) == page["vaerdi"], (target, page["periode"])
            assert (shown["suppressed"] is not None) == bool(page["bemaerkning"])
            assert shown["computed"] == page["kilde"].startswith("Beregnet")
            assert plain(shown["expected"]) == page["forventet"]
            assert plain(shown["milestone"]) == page["delmaal"]
            assert plain(shown["target"]) == page["maal"]
            computed += shown["computed"]

    assert computed >= 2
    [row] = [
        row
        for row in client.get(f"/api/v1/targets/{computed_from_schools.pk}/series/").json()
        if row["period"] == 2024
    ]
    assert row["value"] == 22.2222


def test_every_value_the_api_gives_is_published_as_the_values_table_writes_it(client, seed):
    for row in every_row(client, "/api/v1/values/"):
        assert "weight" not in row
        assert row["value"] is None or row["value"] == published_number(row["value"])
