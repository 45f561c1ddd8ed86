"""A target's page draws the whole country's published figures of the same measurement beside
the organization's own, and says how far above or below the country its latest value lies."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import ReferenceFigure, ReferenceScope
from tests.factories import GoalTargetFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def target():
    """A target on a percentage, its organization's values 2022–2024."""
    found = GoalTargetFactory(
        indicator__metric__unit="%",
        indicator__metric__measure="percent",
        indicator__metric__decimals=1,
        baseline_value=Decimal(70),
        target_value=Decimal(80),
    )
    for period, value in ((2022, "72.0"), (2023, "73.5"), (2024, "75.0")):
        IndicatorValueFactory(indicator=found.indicator, period=period, value=Decimal(value))
    return found


def national(target, periods: dict[int, str], country: str = "DK") -> None:
    for period, value in periods.items():
        ReferenceFigure.objects.create(
            metric=target.indicator.metric,
            label="Hele landet",
            scope=ReferenceScope.COUNTRY,
            country=country,
            period=period,
            value=Decimal(value),
            source="Danmarks Statistik",
            source_url="https://www.dst.dk/",
        )


def test_the_country_s_line_and_the_gap_are_on_the_target_page(client, target):
    national(target, {2022: "74.0", 2023: "74.5"})

    page = client.get(target.get_absolute_url()).text

    assert 'class="portal-chart__reference"' in page
    assert "portal-legend__swatch--reference" in page
    assert (
        "Sammenlignet med Hele landet: 73,5\xa0% i 2023, 1,0 procentpoint under "
        "landsgennemsnittet (74,5\xa0%)."
    ) in page
    assert '<a href="https://www.dst.dk/">Danmarks Statistik</a>' in page


def test_another_country_s_figures_are_not_compared(client, target):
    national(target, {2023: "74.5"}, country="SE")

    page = client.get(target.get_absolute_url()).text

    assert "portal-chart__reference" not in page
    assert "Sammenlignet med" not in page


def test_the_page_runs_as_many_queries_with_many_figures_as_with_one(client, target):
    national(target, {2022: "74.0"})
    client.get(target.get_absolute_url())  # content types and the like are read once
    with CaptureQueriesContext(connection) as one:
        client.get(target.get_absolute_url())
    national(target, dict.fromkeys(range(2000, 2022), "75.0"))

    with CaptureQueriesContext(connection) as many:
        client.get(target.get_absolute_url())

    assert len(many) == len(one)
