"""Counts of fewer than five pupils are not published; changes of a target are."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import GoalTargetFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupils():
    target = GoalTargetFactory(
        indicator__name="Elever i specialklasse",
        indicator__metric__unit="elever",
        indicator__metric__measure="count",
        indicator__metric__counts_pupils=True,
        baseline_period=2022,
        baseline_value=6,
        target_period=2026,
        target_value=10,
    )
    IndicatorValueFactory(indicator=target.indicator, period=2023, value=7)
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=3)
    return target


def test_a_count_under_five_is_shown_as_fewer_than_five(client, pupils):
    page = client.get(pupils.get_absolute_url()).text

    assert "færre end 5\xa0elever" in page
    assert "Færre end 5\xa0elever i 2024." in page
    assert ">3\xa0elever<" not in page
    assert "7\xa0elever" in page


def test_a_count_under_five_is_left_out_of_the_chart(client, pupils):
    page = client.get(pupils.get_absolute_url()).text

    svg = page[page.index('<svg class="portal-chart__svg"') :]
    svg = svg[: svg.index("</svg>")]
    assert svg.count("portal-chart__point") == 1
    assert "<title>3</title>" not in svg


def test_a_count_under_five_is_left_out_of_the_download(client, pupils):
    goal, strategy = pupils.goal, pupils.goal.strategy
    url = reverse(
        "portal:indicator_csv",
        args=[strategy.owner.slug, strategy.slug, goal.slug, pupils.indicator.slug],
    )

    rows = {
        row["periode"]: row for row in csv.DictReader(io.StringIO(client.get(url).content.decode()))
    }

    assert rows["2024"]["vaerdi"] == ""
    assert rows["2024"]["bemaerkning"] == "færre end 5\xa0elever"
    assert rows["2023"]["vaerdi"] == "7"


def test_the_progress_of_a_hidden_count_is_not_shown(client, pupils):
    page = client.get(pupils.get_absolute_url()).text

    assert "<progress" not in page


def test_a_count_under_five_is_hidden_on_the_indicators_series_page(client, pupils):
    page = client.get(pupils.indicator.get_absolute_url()).text

    svg = page[page.index('<svg class="portal-chart__svg"') :]
    svg = svg[: svg.index("</svg>")]
    assert "færre end 5\xa0elever" in page
    assert ">3\xa0elever<" not in page
    assert "7\xa0elever" in page
    assert svg.count("<circle") == 1  # 2023's value only


def test_a_change_of_the_target_is_shown_publicly(client):
    target = GoalTargetFactory()
    target.target_value = Decimal(1900)
    target.save()

    page = client.get(target.get_absolute_url()).text

    before, after = "mindst 1.800\xa0årselever i 2028", "mindst 1.900\xa0årselever i 2028"
    assert f"Målet blev ændret fra {before} til {after} den " in page


def test_other_changes_are_not_listed_as_target_changes(client):
    target = GoalTargetFactory()
    target.baseline_value = Decimal(1390)
    target.save()

    assert target.history.count() == 2
    assert target.target_changes() == []
