"""The series a comparison lists, a page of them read at a time, and the lines its chart draws."""

import pytest

from indicators.charts import LINE_STYLES, build_comparison_chart
from indicators.comparison import CHART_LINES, Comparison, Selection, Series, Showing, compare
from indicators.progress import Point
from municipalities.models import Organization
from tests.factories import (
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    MetricFactory,
    OrganizationFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def metric():
    return MetricFactory()


def published(metric, organization, reporters=()):
    indicator = IndicatorFactory(
        organization=organization, metric=metric, reporting_organizations=[*reporters]
    )
    GoalTargetFactory(goal__focus_area__strategy__owner=organization, indicator=indicator)
    return indicator


def names(keys) -> list[str]:
    return [key[0] for key in keys]


def test_the_keys_are_the_owners_series_and_the_schools_reported_ones_by_name(metric):
    herning = OrganizationFactory(name="Herning Kommune")
    aalborg = OrganizationFactory(name="Aalborg Kommune")
    school = SchoolFactory(name="Lindbjergskolen", parent=herning)
    ours = published(metric, herning, [school])
    published(metric, aalborg)
    IndicatorValueFactory(indicator=ours, organization=school, period=2023)
    IndicatorValueFactory(indicator=ours, organization=school, period=2024)

    municipalities = Selection(metric).keys()
    schools = Selection(metric, showing=Showing.SCHOOLS).keys()

    # An owner without values yet has its row; a school has one row however many values.
    assert names(municipalities) == ["Aalborg Kommune", "Herning Kommune"]
    assert list(schools) == [("Lindbjergskolen", school.pk, ours.pk)]
    assert municipalities.count() == 2


def test_the_keys_leave_out_unpublished_indicators_and_unapproved_values(metric):
    herning = OrganizationFactory(name="Herning Kommune")
    school = SchoolFactory(parent=herning)
    IndicatorFactory(organization=herning, metric=metric)  # no published target
    ours = published(metric, OrganizationFactory(name="Aalborg Kommune"), [school])
    IndicatorValueFactory(indicator=ours, organization=school, status="submitted")

    assert names(Selection(metric).keys()) == ["Aalborg Kommune"]
    assert not Selection(metric, showing=Showing.SCHOOLS).keys().exists()


def test_the_keys_of_a_member_are_their_organizations_only(metric):
    herning = OrganizationFactory(name="Herning Kommune")
    published(metric, herning)
    published(metric, OrganizationFactory(name="Aalborg Kommune"))
    member = MembershipFactory(organization=herning).user
    MembershipFactory(user=member, organization=herning, role="reporter")

    assert names(Selection(metric).keys(member=member)) == ["Herning Kommune"]


def test_the_page_and_the_viewers_own_series_are_read_with_the_latest_periods(metric):
    herning = OrganizationFactory(name="Herning Kommune")
    indicator = published(metric, herning)
    for period in range(2015, 2025):
        IndicatorValueFactory(indicator=indicator, period=period)
    selection = Selection(metric)
    keys = list(selection.keys())

    comparison = compare(selection, page=keys, own=keys)

    assert comparison.rows == comparison.own
    assert comparison.rows[0].own
    assert comparison.periods == list(range(2019, 2025))
    assert len(comparison.drawn) == 1  # once, though it is both own and on the page


def test_the_chart_draws_own_then_references_then_the_page_up_to_its_limit(metric):
    def series(label):
        return Series(label, "DK", "")

    own, reference = series("Own"), series("Reference")
    page = [series(f"Row {number}") for number in range(CHART_LINES)]

    comparison = Comparison(metric, own=[own], references=[reference], rows=page, periods=[])

    assert comparison.drawn == [own, reference, *page[: CHART_LINES - 2]]


def test_organizations_of_no_kind_shown_are_left_out(metric):
    published(metric, OrganizationFactory(kind=Organization.Kind.NETWORK, name="Nitus"))

    assert not Selection(metric).keys().exists()
    assert names(Selection(metric, showing=Showing.OTHERS).keys()) == ["Nitus"]


def test_each_line_the_chart_may_draw_has_a_style_of_its_own():
    chart = build_comparison_chart(
        [(f"Kommune {number}", [Point(2024, number)]) for number in range(CHART_LINES)],
        format_value=str,
        format_period=str,
    )

    assert CHART_LINES <= LINE_STYLES
    assert len({line.style for line in chart.lines}) == CHART_LINES
