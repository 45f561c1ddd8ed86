"""The event log: each change a follower hears of is recorded in the transaction that made it,
and only for what can change in public."""

import pytest
from django.core.management import call_command
from django.db import transaction

from goals.models import Strategy, StrategyStatus
from indicators import services
from indicators.models import GoalTarget, IndicatorValue, TargetAssessment, Update
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


@pytest.mark.parametrize("draft", ["strategy", "goal"])
def test_changes_made_while_the_strategy_or_goal_is_a_draft_are_not_recorded(followed, draft):
    part = getattr(followed, draft)
    type(part).objects.filter(pk=part.pk).update(status=StrategyStatus.DRAFT)
    changed_target(followed.target, value=1900)
    type(part).objects.filter(pk=part.pk).update(status=StrategyStatus.PUBLISHED)
    changed_target(followed.target, value=2000)

    (update,) = Update.objects.filter(kind=Update.Kind.TARGET_CHANGED)
    assert (update.payload["old"]["value"], update.payload["new"]["value"]) == (1900, 2000)


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


def test_a_value_approved_again_after_an_edit_is_recorded_once(followed):
    value = approved(followed.target, followed.editor, period=2024, value=1500)
    # Edited in the admin: back to submitted with the new number, then approved anew.
    value.value = 1550
    value.status = IndicatorValue.Status.SUBMITTED
    value.save()
    services.value_approve(value=value, user=followed.editor)

    updates = Update.objects.filter(kind=Update.Kind.VALUE_APPROVED, target=followed.target)
    assert list(updates.values_list("value", flat=True)) == [value.pk]


def test_a_verdict_changed_while_the_target_is_a_draft_is_not_recorded(followed):
    approved(followed.target, followed.editor, period=2023, value=1384)
    target = followed.target
    target.status = StrategyStatus.DRAFT
    target.save()

    approved(target, followed.editor, period=2024, value=1500)
    target.status = StrategyStatus.PUBLISHED
    target.save()

    assert not Update.objects.filter(kind=Update.Kind.VERDICT_CHANGED).exists()


def test_a_verdict_changed_while_the_strategy_is_a_draft_is_not_recorded(followed):
    approved(followed.target, followed.editor, period=2023, value=1384)
    Strategy.objects.filter(pk=followed.strategy.pk).update(status=StrategyStatus.DRAFT)

    approved(followed.target, followed.editor, period=2024, value=1500)

    assert not Update.objects.filter(kind=Update.Kind.VERDICT_CHANGED).exists()


def test_recomputing_every_verdict_after_a_rules_release_records_nothing(followed):
    approved(followed.target, followed.editor, period=2023, value=1384)
    approved(followed.target, followed.editor, period=2024, value=1500)
    Update.objects.all().delete()
    # As if the rules had judged it differently before the release.
    TargetAssessment.objects.filter(target=followed.target).update(status="behind")

    call_command("refresh_assessments", verbosity=0)

    assert TargetAssessment.objects.get(target=followed.target).status == "on_track"
    assert not Update.objects.exists()


def test_refreshing_assessments_records_a_changed_verdict_unless_told_not_to(followed):
    approved(followed.target, followed.editor, period=2023, value=1384)
    approved(followed.target, followed.editor, period=2024, value=1500)
    Update.objects.all().delete()
    targets = GoalTarget.objects.filter(pk=followed.target.pk)

    TargetAssessment.objects.filter(target=followed.target).update(status="behind")
    services.refresh_assessments(targets, record_updates=False)
    assert not Update.objects.exists()

    TargetAssessment.objects.filter(target=followed.target).update(status="behind")
    services.refresh_assessments(targets)
    assert Update.objects.get().payload["old"] == "behind"
