"""The event log: each change a follower hears of is recorded in the transaction that made it,
and only for what can change in public."""

import pytest
from django.db import transaction

from goals.models import StrategyStatus
from indicators.models import IndicatorValue, Update
from tests.factories import GoalTargetFactory, IndicatorValueFactory
from tests.follow.conftest import approved, changed_target

pytestmark = pytest.mark.django_db


def test_approving_a_value_records_it_for_every_target_on_its_indicator(followed):
    other = GoalTargetFactory(indicator=followed.target.indicator)

    value = approved(followed.target, followed.editor, period=2024, value=1500)

    updates = Update.objects.filter(kind=Update.Kind.VALUE_APPROVED)
    assert {(update.target, update.value) for update in updates} == {
        (followed.target, value),
        (other, value),
    }
    update = updates.get(target=followed.target)
    assert (update.organization, update.strategy, update.goal) == (
        followed.organization,
        followed.strategy,
        followed.goal,
    )
    assert update.payload == {"period": 2024}


def test_a_value_saved_as_a_draft_or_submitted_records_nothing(followed):
    IndicatorValueFactory(indicator=followed.target.indicator, status=IndicatorValue.Status.DRAFT)
    IndicatorValueFactory(
        indicator=followed.target.indicator, period=2025, status=IndicatorValue.Status.SUBMITTED
    )

    assert not Update.objects.exists()


def test_a_verdict_that_changes_is_recorded_with_before_and_after(followed):
    approved(followed.target, followed.editor, period=2023, value=1384)
    assert not Update.objects.filter(kind=Update.Kind.VERDICT_CHANGED).exists()

    approved(followed.target, followed.editor, period=2024, value=1500)

    update = Update.objects.get(kind=Update.Kind.VERDICT_CHANGED)
    assert update.payload == {"period": 2024, "old": "not_enough_data", "new": "on_track"}


def test_a_target_assessed_for_the_first_time_records_no_verdict_change(db):
    GoalTargetFactory()

    assert not Update.objects.exists()


def test_a_changed_published_target_is_recorded_with_its_reason(followed):
    changed_target(followed.target, value=1900, reason="Bestyrelsen hævede målet")

    update = Update.objects.get(kind=Update.Kind.TARGET_CHANGED)
    assert update.payload["old"]["value"] == 1800
    assert update.payload["new"]["value"] == 1900
    assert update.payload["reason"] == "Bestyrelsen hævede målet"


def test_changes_made_while_the_target_is_a_draft_are_not_recorded(followed):
    target = followed.target
    target.status = StrategyStatus.DRAFT
    target.save()
    changed_target(target, value=1900)
    target.status = StrategyStatus.PUBLISHED
    target.save()

    assert not Update.objects.filter(kind=Update.Kind.TARGET_CHANGED).exists()


def test_a_save_that_changes_nothing_the_target_aims_for_records_nothing(followed):
    followed.target.order = 5
    followed.target.save()

    assert not Update.objects.exists()


def approve_two_and_fail(followed):
    with transaction.atomic():
        approved(followed.target, followed.editor, period=2023, value=1384)
        approved(followed.target, followed.editor, period=2024, value=1500)
        raise RuntimeError


def test_an_approval_rolled_back_leaves_no_event(followed):
    with pytest.raises(RuntimeError):
        approve_two_and_fail(followed)

    assert not Update.objects.exists()
    assert not IndicatorValue.objects.exists()
