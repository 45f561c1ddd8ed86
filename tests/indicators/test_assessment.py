"""Indicators assess themselves from their approved values, in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.utils import translation

from goals.models import Action
from indicators.models import Indicator, IndicatorValue
from indicators.progress import Status
from indicators.rollups import strategy_progress
from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    SchoolFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def test_only_approved_values_count():
    indicator = IndicatorFactory()
    IndicatorValueFactory(indicator=indicator, period=2024, value=1500)
    for status, period in [("draft", 2025), ("submitted", 2026), ("rejected", 2027)]:
        IndicatorValueFactory(indicator=indicator, period=period, value=1000, status=status)

    assessment = Indicator.objects.with_progress().get().assessment

    assert assessment.latest.period == 2024
    assert assessment.status is Status.ON_TRACK


def test_a_schools_value_is_compared_not_counted_as_the_municipalitys():
    indicator = IndicatorFactory()
    school = SchoolFactory(parent=indicator.goal.strategy.owner)
    IndicatorValueFactory(indicator=indicator, organization=school, period=2024, value=1350)

    assert indicator.assessment.latest is None


def test_a_summed_indicator_adds_its_schools_values():
    municipality_goal = GoalFactory()
    schools = SchoolFactory.create_batch(2, parent=municipality_goal.strategy.owner)
    indicator = IndicatorFactory(
        goal=municipality_goal,
        aggregation=Indicator.Aggregation.SUM,
        reporting_organizations=schools,
    )
    for school, value in zip(schools, [700, 800], strict=True):
        IndicatorValueFactory(indicator=indicator, organization=school, period=2024, value=value)

    assert Indicator.objects.with_progress().get().assessment.latest.value == 1500


def test_milestones_shape_the_expected_path():
    indicator = IndicatorFactory()
    MilestoneFactory(indicator=indicator, period=2026, value=Decimal(1700))

    assert indicator.assessment.expected_by_period[2026] == 1700


def test_the_indicator_summary_is_in_the_active_language():
    indicator = IndicatorFactory()
    IndicatorValueFactory(indicator=indicator, period=2024, value=1500)

    with translation.override("da"):
        assert indicator.summary.startswith("1.500\xa0årselever i 2024.")
    with translation.override("en"):
        assert indicator.summary.startswith("1,500\xa0årselever in 2024.")


def test_values_marked_illustrative_are_flagged():
    indicator = IndicatorFactory()
    IndicatorValueFactory(indicator=indicator, is_illustrative=True)

    assert indicator.uses_illustrative_values


def test_roll_ups_count_statuses_and_action_states_per_goal_focus_area_and_strategy():
    strategy = StrategyFactory()
    parent = FocusAreaFactory(strategy=strategy)
    child = FocusAreaFactory(strategy=strategy, parent=parent)
    goal = GoalFactory(focus_area=child)
    on_track = IndicatorFactory(goal=goal)
    IndicatorValueFactory(indicator=on_track, period=2024, value=1500)
    IndicatorFactory(goal=goal)  # no values yet
    ActionFactory(focus_area=child, state=Action.State.DONE)
    ActionFactory(focus_area=parent, state=Action.State.PLANNED)

    progress = strategy_progress(strategy)

    assert progress.for_goal(goal.pk).indicators[Status.ON_TRACK] == 1
    assert progress.for_goal(goal.pk).indicators[Status.NOT_ENOUGH_DATA] == 1
    assert progress.for_focus_area(child.pk).actions == {"planned": 0, "under_way": 0, "done": 1}
    assert progress.for_focus_area(parent.pk).indicator_count == 2
    assert progress.for_focus_area(parent.pk).actions == {"planned": 1, "under_way": 0, "done": 1}
    assert progress.total.indicator_count == 2
    assert progress.total.action_count == 2


def test_a_focus_area_without_indicators_or_actions_has_an_empty_roll_up():
    area = FocusAreaFactory()

    assert strategy_progress(area.strategy).for_focus_area(area.pk).is_empty


def make_strategy(*, focus_areas, goals_each, indicators_each, values_each):
    strategy = StrategyFactory()
    for _ in range(focus_areas):
        area = FocusAreaFactory(strategy=strategy)
        ActionFactory(focus_area=area)
        for _ in range(goals_each):
            goal = GoalFactory(focus_area=area)
            for _ in range(indicators_each):
                indicator = IndicatorFactory(goal=goal)
                MilestoneFactory(indicator=indicator)
                for period in range(2024, 2024 + values_each):
                    IndicatorValueFactory(indicator=indicator, period=period)
    return strategy


@pytest.mark.parametrize(
    "size",
    [
        {"focus_areas": 1, "goals_each": 1, "indicators_each": 1, "values_each": 1},
        {"focus_areas": 3, "goals_each": 2, "indicators_each": 3, "values_each": 4},
    ],
)
def test_assessing_every_indicator_of_a_strategy_takes_six_queries_whatever_its_size(
    django_assert_num_queries, size
):
    strategy = make_strategy(**size)

    with django_assert_num_queries(6):
        progress = strategy_progress(strategy)
        statuses = [indicator.assessment.status for indicator in progress.indicators]
        summaries = [indicator.summary for indicator in progress.indicators]

    expected = size["focus_areas"] * size["goals_each"] * size["indicators_each"]
    assert len(statuses) == len(summaries) == expected


def test_every_seeded_indicator_can_be_assessed_and_summarized(seed):
    indicators = Indicator.objects.with_progress()

    with translation.override("da"):
        summaries = {indicator.slug: indicator.summary for indicator in indicators}

    assert len(summaries) == 6
    assert summaries["arselever"] == (
        "1.384\xa0årselever i 2023. Målet er mindst 1.800\xa0årselever i 2028. "
        "Der er endnu ikke tal nok til at vurdere udviklingen."
    )
    assert summaries["areal-pr-elev"] == (
        "Der er endnu ingen godkendte tal. Målet er højst 25,0\xa0m² pr. elev i 2028."
    )
    assert summaries["andel-unge-med-ungdomsuddannelse"] == (
        "Der er endnu ingen godkendte tal. Målet er mindst 95\xa0%."
    )


def test_approving_a_value_changes_the_assessment(seed):
    indicator = Indicator.objects.get(slug="arselever")
    IndicatorValue.objects.create(
        indicator=indicator,
        organization=indicator.goal.strategy.owner,
        period=2024,
        value=1500,
        status=IndicatorValue.Status.SUBMITTED,
    )
    assert Indicator.objects.get(pk=indicator.pk).assessment.status is Status.NOT_ENOUGH_DATA

    IndicatorValue.objects.filter(period=2024).update(status=IndicatorValue.Status.APPROVED)

    assert Indicator.objects.get(pk=indicator.pk).assessment.status is Status.ON_TRACK
