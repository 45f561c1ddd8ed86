"""A comparison at the scale of a country: municipalities unless schools are asked for, at most
12 lines in the chart, every series in a table a page at a time with the viewer's own
organization above it, and the privacy rule on every page."""

import re

import pytest

from indicators.comparison import CHART_LINES, ROWS_PER_PAGE, TABLE_PERIODS
from indicators.models import Metric
from municipalities.models import Organization
from tests.factories import (
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    MetricFactory,
    OrganizationFactory,
    ReferenceFigureFactory,
    SchoolFactory,
)
from tests.portal.test_query_counts import count_queries

pytestmark = pytest.mark.django_db

OWN = "(din organisation)"


def municipality_with_a_school(metric, number: int, *, periods=(2024,), country="DK"):
    """Kommune NN with a published target on the metric, its own value for each period and
    a school's value beside it."""
    municipality = OrganizationFactory(name=f"Kommune {number:02d}", country=country)
    school = SchoolFactory(name=f"Skole {number:02d}", parent=municipality, country=country)
    indicator = IndicatorFactory(
        organization=municipality,
        metric=metric,
        reporting_organizations=[municipality, school],
    )
    GoalTargetFactory(goal__focus_area__strategy__owner=municipality, indicator=indicator)
    for period in periods:
        IndicatorValueFactory(indicator=indicator, period=period, value=50 + number)
    IndicatorValueFactory(indicator=indicator, organization=school, value=70 + number)
    return municipality


@pytest.fixture
def metric():
    return MetricFactory(name="Trivsel", unit="%", decimals=0)


def lines_drawn(page: str) -> list[str]:
    """The chart's lines, not the legend's samples of them."""
    return re.findall(r'<polyline points="(?!0,7 40,7)', page)


def points_drawn(page: str) -> int:
    return page.count('r="5"><title>')


def row_headers(page: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*>([^<]+)', page)


def test_a_comparison_shows_the_municipalities_and_not_their_schools(client, metric):
    municipality_with_a_school(metric, 1)

    page = client.get(metric.get_absolute_url()).text

    assert row_headers(page) == ["Kommune 01"]
    assert "51\xa0%" in page
    assert "Skole 01" not in page
    assert "71\xa0%" not in page


def test_a_comparison_shows_the_schools_on_request(client, metric):
    municipality_with_a_school(metric, 1)

    page = client.get(metric.get_absolute_url(), {"show": "schools"}).text

    assert row_headers(page) == ["Skole 01"]
    assert "71\xa0%" in page
    assert "Indberettet til Kommune 01" in page
    assert "51\xa0%" not in page


def test_learning_centres_and_networks_that_own_a_series_are_shown_on_request(client, metric):
    centre = OrganizationFactory(name="Lärcentrum", kind=Organization.Kind.LEARNING_CENTRE)
    target = GoalTargetFactory(
        goal__focus_area__strategy__owner=centre, indicator__organization=centre
    )
    target.indicator.metric = metric
    target.indicator.save()
    IndicatorValueFactory(indicator=target.indicator, value=40)

    assert "Lärcentrum" not in client.get(metric.get_absolute_url()).text
    page = client.get(metric.get_absolute_url(), {"show": "others"}).text
    assert row_headers(page) == ["Lärcentrum"]


def test_the_chart_draws_at_most_12_lines_and_says_which(client, metric):
    for number in range(1, 16):
        municipality_with_a_school(metric, number)
    ReferenceFigureFactory(metric=metric, label="Hele landet", period=2024, value=60)
    viewer = MembershipFactory(organization=Organization.objects.get(name="Kommune 15")).user
    ReferenceFigureFactory(metric=metric, label="Region", period=2024, value=61)
    client.force_login(viewer)

    page = client.get(metric.get_absolute_url()).text

    assert len(lines_drawn(page)) == CHART_LINES
    legend = re.findall(r"</svg>([^<]+)</li>", page)
    # Own organization, the reference figures, then the page's rows as far as there is room.
    assert legend == [
        f"Kommune 15 {OWN}",
        "Hele landet",
        "Region",
        *[f"Kommune {number:02d}" for number in range(1, CHART_LINES - 2)],
    ]
    assert "Diagrammet viser højst 12 linjer" in page


def test_the_table_is_paginated_and_its_page_links_keep_the_filters(client, metric):
    for number in range(1, ROWS_PER_PAGE + 4):
        municipality_with_a_school(metric, number)
    municipality_with_a_school(metric, 99, country="SE")

    first = client.get(metric.get_absolute_url(), {"country": "DK"}).text
    second = client.get(metric.get_absolute_url(), {"country": "DK", "side": 2}).text

    assert row_headers(first) == [f"Kommune {n:02d}" for n in range(1, ROWS_PER_PAGE + 1)]
    assert row_headers(second) == [f"Kommune {n:02d}" for n in range(ROWS_PER_PAGE + 1, 14)]
    assert "Tabellen har 13 rækker" in first
    assert 'href="?country=DK&amp;side=2#tabel"' in first
    assert "Kommune 99" not in first + second
    assert len(lines_drawn(second)) == 3  # the chart follows the page


def test_a_name_narrows_the_table_and_the_chart(client, metric):
    for number in (1, 2, 12):
        municipality_with_a_school(metric, number)

    page = client.get(metric.get_absolute_url(), {"name": "1"}).text

    assert row_headers(page) == ["Kommune 01", "Kommune 12"]
    assert len(lines_drawn(page)) == 2


def test_a_members_own_organization_is_marked_and_kept_above_every_page(client, metric):
    for number in range(1, ROWS_PER_PAGE + 4):
        municipality_with_a_school(metric, number)
    own = Organization.objects.get(name="Kommune 12")
    client.force_login(MembershipFactory(organization=own).user)

    first = client.get(metric.get_absolute_url()).text
    second = client.get(metric.get_absolute_url(), {"side": 2}).text

    assert row_headers(first)[0] == "Kommune 12 "  # before its mark
    assert f"Kommune 12 <strong>{OWN}</strong>" in first
    assert f"Kommune 12 {OWN}</li>" in first  # the chart's legend
    assert "Din egen organisation står øverst på hver side." in first
    assert row_headers(second).count("Kommune 12 ") == 2  # above the page and in its place
    assert 'class="bg-alternative">Kommune 12 <strong>(din organisation)</strong>' in second


def test_an_anonymous_visitor_has_no_own_organization(client, metric):
    own = municipality_with_a_school(metric, 1)
    MembershipFactory(organization=own)

    page = client.get(metric.get_absolute_url()).text

    assert OWN not in page
    assert "bg-alternative" not in page


def test_the_table_shows_the_latest_periods_and_the_chart_all_of_them(client, metric):
    periods = range(2015, 2025)
    municipality_with_a_school(metric, 1, periods=periods)

    page = client.get(metric.get_absolute_url()).text

    header = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert re.findall(r'<th scope="col">(\d{4})</th>', header) == [
        str(period) for period in periods[-TABLE_PERIODS:]
    ]
    assert points_drawn(page) == len(periods)


@pytest.mark.parametrize("show", ["municipalities", "schools"])
def test_a_count_of_fewer_than_five_pupils_is_hidden_in_the_table_and_the_chart(client, show):
    metric = MetricFactory(
        name="Elever i særlig klasse",
        unit="elever",
        decimals=0,
        measure=Metric.Measure.COUNT,
        counts_pupils=True,
        aggregation=Metric.Aggregation.SUM,
    )
    municipality = OrganizationFactory(name="Lille Kommune")
    school = SchoolFactory(name="Lille Skole", parent=municipality)
    indicator = IndicatorFactory(
        organization=municipality, metric=metric, reporting_organizations=[school]
    )
    GoalTargetFactory(goal__focus_area__strategy__owner=municipality, indicator=indicator)
    IndicatorValueFactory(indicator=indicator, organization=school, period=2023, value=8)
    IndicatorValueFactory(indicator=indicator, organization=school, period=2024, value=3)

    # The municipality's sum is its one school's number: hidden alike in both views.
    page = client.get(metric.get_absolute_url(), {"show": show}).text

    assert "færre end 5\xa0elever" in page
    assert ">3\xa0elever<" not in page
    assert ">8\xa0elever<" in page
    assert points_drawn(page) == 1  # 2023's 8 only


def test_the_comparison_of_a_member_runs_as_many_queries_with_much_data_as_with_little(
    client,
):
    def queries(size: int) -> int:
        metric = MetricFactory()
        own = None
        for number in range(1, size * ROWS_PER_PAGE + 1):
            municipality = municipality_with_a_school(
                metric, number, periods=range(2024 - size, 2025)
            )
            own = own or municipality
        ReferenceFigureFactory(metric=metric)
        client.force_login(MembershipFactory(organization=own).user)
        return count_queries(client, metric.get_absolute_url() + "?side=2")

    # Three of them find the organizations the member edits, whose drafts they may see.
    assert queries(1) == queries(3) == 14
