"""Goal targets are assessed on their indicator's approved values, in a fixed number of
queries."""

from decimal import Decimal

import pytest
from django.utils import translation

from goals.models import Action
from indicators.models import GoalTarget, Indicator, IndicatorValue, Metric
from indicators.progress import Coverage, Point, Status
from indicators.rollups import strategy_progress
from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    PercentTargetFactory,
    SchoolFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def test_only_approved_values_count():
    indicator = GoalTargetFactory().indicator
    IndicatorValueFactory(indicator=indicator, period=2024, value=1500)
    for status, period in [("draft", 2025), ("submitted", 2026), ("rejected", 2027)]:
        IndicatorValueFactory(indicator=indicator, period=period, value=1000, status=status)

    assessment = GoalTarget.objects.with_progress().get().assessment

    assert assessment.latest.period == 2024
    assert assessment.status is Status.ON_TRACK


def test_a_schools_value_is_compared_not_counted_as_the_municipalitys():
    target = GoalTargetFactory()
    school = SchoolFactory(parent=target.indicator.organization)
    IndicatorValueFactory(indicator=target.indicator, organization=school, period=2024, value=1350)

    assert target.assessment.latest is None


def test_a_summed_indicator_adds_its_schools_values():
    municipality_goal = GoalFactory()
    schools = SchoolFactory.create_batch(2, parent=municipality_goal.strategy.owner)
    indicator = GoalTargetFactory(
        goal=municipality_goal,
        indicator__metric__aggregation=Metric.Aggregation.SUM,
        indicator__reporting_organizations=schools,
    ).indicator
    for school, value in zip(schools, [700, 800], strict=True):
        IndicatorValueFactory(indicator=indicator, organization=school, period=2024, value=value)

    assert GoalTarget.objects.with_progress().get().assessment.latest.value == 1500


def share_reported_by_schools(aggregation, *, schools, **metric):
    """A municipality's target of at least 95 % in 2027 from 80 % in 2023, on a share that
    its `schools` report (the path expects 83,75 % in 2024)."""
    target = PercentTargetFactory(
        indicator__metric__aggregation=aggregation,
        indicator__metric__decimals=1,
        baseline_period=2023,
        baseline_value=80,
        target_period=2027,
        **{f"indicator__metric__{name}": value for name, value in metric.items()},
    )
    reporters = SchoolFactory.create_batch(schools, parent=target.indicator.organization)
    target.indicator.reporting_organizations.set(reporters)
    return target.indicator, reporters


def test_a_targets_status_uses_the_mean_of_its_schools_values():
    indicator, schools = share_reported_by_schools(Metric.Aggregation.MEAN, schools=4)
    for school, value in zip(schools, [84, 86, 88], strict=False):
        IndicatorValueFactory(indicator=indicator, organization=school, value=value)

    target = GoalTarget.objects.with_progress().get()

    assert target.assessment.latest == Point(2024, 86.0)
    assert target.assessment.status is Status.ON_TRACK
    assert target.indicator.coverage == {2024: Coverage(counted=3, of=4)}


def test_a_mean_of_fewer_than_half_the_schools_is_no_value_of_the_municipality():
    indicator, schools = share_reported_by_schools(Metric.Aggregation.MEAN, schools=4)
    IndicatorValueFactory(indicator=indicator, organization=schools[0], value=70)

    target = GoalTarget.objects.with_progress().get()

    assert target.assessment.latest is None
    assert target.assessment.status is Status.NOT_ENOUGH_DATA


def test_a_weighted_mean_weighs_each_schools_value_by_the_weight_it_gave():
    indicator, schools = share_reported_by_schools(
        Metric.Aggregation.WEIGHTED_MEAN, schools=3, weight_label="antal elever i årgangen"
    )
    for school, value, weight in [(schools[0], 90, 300), (schools[1], 60, 100)]:
        IndicatorValueFactory(indicator=indicator, organization=school, value=value, weight=weight)

    assessment = GoalTarget.objects.with_progress().get().assessment

    # 82,5 %, not the plain mean of 75 % that would be moving away from the target.
    assert assessment.latest == Point(2024, 82.5)
    assert assessment.status is Status.BEHIND


def test_the_municipalitys_own_value_counts_before_its_schools_mean():
    indicator, schools = share_reported_by_schools(Metric.Aggregation.MEAN, schools=2)
    for school in schools:
        IndicatorValueFactory(indicator=indicator, organization=school, value=70)
    IndicatorValueFactory(indicator=indicator, value=90)

    target = GoalTarget.objects.with_progress().get()

    assert target.assessment.latest == Point(2024, 90.0)
    assert target.indicator.coverage == {}


def test_milestones_shape_the_expected_path():
    target = GoalTargetFactory()
    MilestoneFactory(target=target, period=2026, value=Decimal(1700))

    assert target.assessment.expected_by_period[2026] == 1700


def test_the_target_summary_is_in_the_active_language():
    target = GoalTargetFactory()
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=1500)

    with translation.override("da"):
        assert target.summary.startswith("1.500\xa0årselever i 2024.")
    with translation.override("en"):
        assert target.summary.startswith("1,500\xa0årselever in 2024.")


def test_values_marked_illustrative_are_flagged():
    target = GoalTargetFactory()
    IndicatorValueFactory(indicator=target.indicator, is_illustrative=True)

    assert target.uses_illustrative_values


def test_roll_ups_count_statuses_and_action_states_per_goal_focus_area_and_strategy():
    strategy = StrategyFactory()
    parent = FocusAreaFactory(strategy=strategy)
    child = FocusAreaFactory(strategy=strategy, parent=parent)
    goal = GoalFactory(focus_area=child)
    on_track = GoalTargetFactory(goal=goal)
    IndicatorValueFactory(indicator=on_track.indicator, period=2024, value=1500)
    GoalTargetFactory(goal=goal)  # no values yet
    ActionFactory(focus_area=child, state=Action.State.DONE)
    ActionFactory(focus_area=parent, state=Action.State.PLANNED)
    ActionFactory(focus_area=None, goal=goal, strategy=strategy, state=Action.State.UNDER_WAY)

    progress = strategy_progress(strategy)

    assert progress.for_goal(goal.pk).targets[Status.ON_TRACK] == 1
    assert progress.for_goal(goal.pk).targets[Status.NOT_ENOUGH_DATA] == 1
    assert progress.for_goal(goal.pk).actions == {"planned": 0, "under_way": 1, "done": 0}
    # The goal's action counts toward the goal's focus area and the one above it.
    assert progress.for_focus_area(child.pk).actions == {"planned": 0, "under_way": 1, "done": 1}
    assert progress.for_focus_area(parent.pk).target_count == 2
    assert progress.for_focus_area(parent.pk).actions == {"planned": 1, "under_way": 1, "done": 1}
    assert progress.total.target_count == 2
    assert progress.total.action_count == 3


def test_a_focus_area_without_targets_or_actions_has_an_empty_roll_up():
    area = FocusAreaFactory()

    assert strategy_progress(area.strategy).for_focus_area(area.pk).is_empty


def make_strategy(*, focus_areas, goals_each, targets_each, values_each):
    """Each goal's first target on the owner's own values, the others on its schools' mean."""
    strategy = StrategyFactory()
    school = SchoolFactory(parent=strategy.owner)
    for _ in range(focus_areas):
        area = FocusAreaFactory(strategy=strategy)
        ActionFactory(focus_area=area)
        for _ in range(goals_each):
            goal = GoalFactory(focus_area=area)
            ActionFactory(focus_area=None, goal=goal, strategy=strategy)
            for index in range(targets_each):
                aggregation = Metric.Aggregation.MEAN if index else Metric.Aggregation.OWN
                target = GoalTargetFactory(
                    goal=goal,
                    indicator__metric__aggregation=aggregation,
                    indicator__reporting_organizations=[strategy.owner, school],
                )
                MilestoneFactory(target=target)
                reporter = school if index else strategy.owner
                for period in range(2024, 2024 + values_each):
                    IndicatorValueFactory(
                        indicator=target.indicator, organization=reporter, period=period
                    )
    return strategy


@pytest.mark.parametrize(
    "size",
    [
        {"focus_areas": 1, "goals_each": 1, "targets_each": 2, "values_each": 1},
        {"focus_areas": 3, "goals_each": 2, "targets_each": 3, "values_each": 4},
    ],
)
def test_assessing_every_target_of_a_strategy_takes_six_queries_whatever_its_size(
    django_assert_num_queries, size
):
    strategy = make_strategy(**size)

    with django_assert_num_queries(6):
        progress = strategy_progress(strategy)
        statuses = [target.assessment.status for target in progress.targets]
        summaries = [target.summary for target in progress.targets]

    expected = size["focus_areas"] * size["goals_each"] * size["targets_each"]
    assert len(statuses) == len(summaries) == expected
    assert Status.NOT_ENOUGH_DATA not in statuses  # the schools' means count too


def test_every_seeded_target_can_be_assessed_and_summarized(seed):
    targets = GoalTarget.objects.with_progress()

    with translation.override("da"):
        summaries = {target.indicator.slug: target.summary for target in targets}

    assert len(summaries) == 6
    assert summaries["arselever"] == (
        "1.384\xa0årselever i 2023. Målet er mindst 1.800\xa0årselever i 2028. "
        "Der er endnu ikke tal nok til at vurdere udviklingen."
    )
    assert summaries["areal-pr-elev"] == (
        "Der er endnu ingen godkendte tal. Målet er højst 25,0\xa0m² pr. elev i 2028."
    )
    # Herning's target is on the shared metric, which has one decimal.
    assert summaries["andel-unge-med-ungdomsuddannelse"] == (
        "Der er endnu ingen godkendte tal. Målet er mindst 95,0\xa0%."
    )


def test_approving_a_value_changes_the_assessment(seed):
    indicator = Indicator.objects.get(slug="arselever")
    IndicatorValue.objects.create(
        indicator=indicator,
        organization=indicator.organization,
        period=2024,
        value=1500,
        status=IndicatorValue.Status.SUBMITTED,
    )
    assert GoalTarget.objects.get(indicator=indicator).assessment.status is Status.NOT_ENOUGH_DATA

    IndicatorValue.objects.filter(period=2024).update(status=IndicatorValue.Status.APPROVED)

    assert GoalTarget.objects.get(indicator=indicator).assessment.status is Status.ON_TRACK
