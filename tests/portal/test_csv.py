import csv
import io

import pytest
from django.urls import reverse

from tests.factories import GoalTargetFactory, IndicatorValueFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


def download(client, target):
    goal, strategy = target.goal, target.goal.strategy
    url = reverse(
        "portal:indicator_csv",
        args=[strategy.owner.slug, strategy.slug, goal.slug, target.indicator.slug],
    )
    return client.get(url)


def test_the_csv_has_one_row_per_period_with_machine_readable_numbers(client):
    target = GoalTargetFactory(indicator__metric__decimals=1)
    IndicatorValueFactory(
        indicator=target.indicator, period=2024, value="1500.5", source="Årsrapport"
    )
    MilestoneFactory(target=target, period=2026, value=1650)

    response = download(client, target)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    by_period = {row["periode"]: row for row in rows}
    assert list(by_period) == ["2023", "2024", "2025", "2026", "2027", "2028"]
    assert by_period["2023"]["forventet"] == "1384"
    assert by_period["2024"]["vaerdi"] == "1500.5"
    assert by_period["2024"]["kilde"] == "Årsrapport"
    assert by_period["2026"]["delmaal"] == "1650"
    assert by_period["2028"]["maal"] == "1800"
    assert by_period["2028"]["vaerdi"] == ""
    assert {row["enhed"] for row in rows} == {"årselever"}


def test_the_csv_leaves_values_that_are_not_approved_out(client):
    target = GoalTargetFactory()
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=1999, status="submitted")

    content = download(client, target).content.decode("utf-8")

    assert "1999" not in content


def test_illustrative_values_are_marked_in_the_csv(client):
    target = GoalTargetFactory()
    IndicatorValueFactory(indicator=target.indicator, period=2024, is_illustrative=True)

    rows = list(csv.DictReader(io.StringIO(download(client, target).content.decode())))

    assert next(row for row in rows if row["periode"] == "2024")["illustrativ"] == "ja"
