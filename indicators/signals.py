"""What the indicators app does when a strategy gets a new version."""

from django.dispatch import receiver

from goals.models import Goal, Strategy
from goals.signals import strategy_version_created
from indicators.models import GoalTarget, Milestone


@receiver(strategy_version_created, sender=Strategy)
def copy_targets_to_new_version(*, goals: dict[int, Goal], **kwargs) -> None:
    """The new goals aim at the same indicators as the old ones, with the same targets and
    milestones until the editor changes them; the values stay on the indicators."""
    targets = GoalTarget.objects.filter(goal__in=list(goals)).prefetch_related("milestones")
    for target in targets.order_by("pk"):
        milestones = list(target.milestones.all())
        target.pk = None
        target._state.adding = True
        target.goal = goals[target.goal_id]
        target.save()
        for milestone in milestones:  # one by one, so each starts its history
            Milestone.objects.create(
                target=target, period=milestone.period, value=milestone.value, note=milestone.note
            )
