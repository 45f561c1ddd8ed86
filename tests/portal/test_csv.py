import csv
import io

import pytest
from django.urls import reverse

from tests.factories import IndicatorFactory, IndicatorValueFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


def download(client, indicator):
    goal, strategy = indicator.goal, indicator.goal.strategy
    url = reverse(
        "portal:indicator_csv", args=[strategy.owner.slug, strategy.slug, goal.slug, indicator.slug]
    )
    return client.get(url)


def test_the_csv_has_one_row_per_period_with_machine_readable_numbers(client):
    indicator = IndicatorFactory(decimals=1)
    IndicatorValueFactory(indicator=indicator, period=2024, value="1500.5", source="Årsrapport")
    MilestoneFactory(indicator=indicator, period=2026, value=1650)

    response = download(client, indicator)

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
    indicator = IndicatorFactory()
    IndicatorValueFactory(indicator=indicator, period=2024, value=1999, status="submitted")

    content = download(client, indicator).content.decode("utf-8")

    assert "1999" not in content


def test_illustrative_values_are_marked_in_the_csv(client):
    indicator = IndicatorFactory()
    IndicatorValueFactory(indicator=indicator, period=2024, is_illustrative=True)

    rows = list(csv.DictReader(io.StringIO(download(client, indicator).content.decode())))

    assert next(row for row in rows if row["periode"] == "2024")["illustrativ"] == "ja"
