"""A target as it stood, published, when a period ended (`GoalTarget.progress_target_as_of`),
and an old verdict judged against it (`assessment_as_of(period, against=…)`)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from goals.models import StrategyStatus
from indicators.periods import PeriodKind
from indicators.progress import Status
from tests.factories import GoalTargetFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


def dated(target, when: datetime) -> None:
    """Date the latest historical record of `target` `when`, as if it had been written then."""
    latest = target.history.latest("history_date", "history_id")
    type(target).history.filter(history_id=latest.history_id).update(history_date=when)


def change(target, when: datetime, **fields) -> None:
    for name, value in fields.items():
        setattr(target, name, value)
    target.save()
    dated(target, when)


def records(target) -> list:
    return list(target.history.order_by("history_date", "history_id"))


@pytest.fixture
def lowered():
    """HEG's årselever, 1.400 in 2024 and 1.650 in 2025, the target lowered from 1.800 to
    1.400 in June 2025."""
    target = GoalTargetFactory()
    dated(target, datetime(2023, 2, 1, tzinfo=UTC))
    change(target, datetime(2025, 6, 1, tzinfo=UTC), target_value=Decimal(1400))
    for period, value in ((2024, 1400), (2025, 1650)):
        IndicatorValueFactory(indicator=target.indicator, period=period, value=value)
    return target


def test_the_target_as_of_a_period_is_the_last_published_before_it_ended(lowered):
    history = records(lowered)

    assert lowered.progress_target_as_of(2024, history).value == 1800
    assert lowered.progress_target_as_of(2025, history).value == 1400


def test_an_old_verdict_is_judged_against_the_target_as_it_stood_then(lowered):
    then = lowered.progress_target_as_of(2024, records(lowered))

    assert lowered.assessment_as_of(2024, against=then).status is Status.BEHIND
    assert lowered.assessment_as_of(2024).status is Status.TARGET_MET  # against today's


def test_the_baseline_is_the_records_and_the_milestones_todays():
    target = GoalTargetFactory()
    target.milestones.create(period=2026, value=Decimal(1600))
    dated(target, datetime(2023, 2, 1, tzinfo=UTC))
    change(target, datetime(2025, 6, 1, tzinfo=UTC), baseline_value=Decimal(1300))

    then = target.progress_target_as_of(2024, records(target))

    assert then.baseline.value == 1384
    assert [(point.period, point.value) for point in then.milestones] == [(2026, 1600)]
    assert then.decimals == target.progress_target.decimals


def test_a_change_made_while_the_target_was_a_draft_never_judged_anything():
    target = GoalTargetFactory()
    dated(target, datetime(2023, 2, 1, tzinfo=UTC))
    change(target, datetime(2024, 3, 1, tzinfo=UTC), status=StrategyStatus.DRAFT)
    change(target, datetime(2024, 4, 1, tzinfo=UTC), target_value=Decimal(1400))
    change(target, datetime(2025, 3, 1, tzinfo=UTC), status=StrategyStatus.PUBLISHED)

    assert target.progress_target_as_of(2024, records(target)).value == 1800
    assert target.progress_target_as_of(2025, records(target)).value == 1400


def test_without_a_published_record_by_then_the_target_is_taken_as_it_is_now(lowered):
    assert lowered.progress_target_as_of(2022, records(lowered)) == lowered.progress_target
    assert lowered.progress_target_as_of(2024, []) == lowered.progress_target


def test_a_school_year_target_stands_as_it_was_on_31_july():
    target = GoalTargetFactory(indicator__metric__period_kind=PeriodKind.SCHOOL_YEAR)
    dated(target, datetime(2023, 2, 1, tzinfo=UTC))
    change(target, datetime(2025, 6, 1, tzinfo=UTC), target_value=Decimal(1400))

    # School year 2024/25 ends 31 July 2025, after the change; 2023/24 before it.
    assert target.progress_target_as_of(2024, records(target)).value == 1400
    assert target.progress_target_as_of(2023, records(target)).value == 1800
