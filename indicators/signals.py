"""What the indicators app does when something it depends on changes: a strategy's next
version gets its targets, and every change to what a target's assessment is made of refreshes
the stored assessment (`TargetAssessment`) in the same transaction.

An assessment is made of the target itself (direction, values, periods) and its milestones;
its indicator's approved values, the indicator's owner and reporting organizations and its
metric's aggregation (which values count); and its strategy's successor (a replaced strategy
is judged on its own years only). Receivers here cover every save of one object, wherever it
is made: the services, the admin's forms, list actions and history, the strategies app (which
cannot call indicators), and `load_seed`, which saves one object at a time. Writes in bulk
send no signals and refresh by themselves: `services.values_import`, `generate_national_data`,
`import_portal`. Loaded fixtures (`raw`) are skipped, as their related rows may not be loaded
yet; whoever loads them refreshes afterwards (`manage.py refresh_assessments`).
Nothing depends on the date, so nothing goes stale with time."""

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from goals.models import Action, FocusArea, Goal, Strategy
from goals.signals import strategy_version_created
from indicators import updates
from indicators.models import GoalTarget, Indicator, IndicatorValue, Metric, Milestone
from indicators.services import DELETED_WITH, refresh_assessments


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


def _deleted_by_itself(origin, model) -> bool:
    """Whether a deletion began at `model`, not at something it hangs on: a milestone
    deleted with its target, or a value with its indicator, leaves no target to assess (and
    assessing one about to go would store a row for it)."""
    if isinstance(origin, QuerySet):
        return origin.model is model
    return isinstance(origin, model)


@receiver(pre_save, sender=GoalTarget)
def note_what_the_target_aimed_for(*, instance, raw, **kwargs):
    """What the target aimed for when last saved where the public could read it (published,
    with its goal and strategy), for `updates.target_saved`: only the stored row, before the
    save, says."""
    instance._published_aim = None
    if not raw and not instance._state.adding:
        stored = GoalTarget.objects.public().filter(pk=instance.pk).first()
        instance._published_aim = stored and stored.aim


@receiver(post_save, sender=GoalTarget)
def target_saved(*, instance, raw, **kwargs):
    if not raw:
        refresh_assessments(GoalTarget.objects.filter(pk=instance.pk))
        updates.target_saved(instance, instance._published_aim)


@receiver(post_save, sender=Milestone)
def milestone_saved(*, instance, raw, **kwargs):
    if not raw:
        refresh_assessments(GoalTarget.objects.filter(pk=instance.target_id))


@receiver(post_delete, sender=Milestone)
def milestone_deleted(*, instance, origin, **kwargs):
    if _deleted_by_itself(origin, Milestone):
        refresh_assessments(GoalTarget.objects.filter(pk=instance.target_id))


@receiver(pre_save, sender=IndicatorValue)
def note_what_the_value_counted_in(*, instance, raw, **kwargs):
    """Only approved values count. A save that takes a value's approval away (an editor's
    correction waits for approval again) changes the assessments the value fed, and only
    the stored row, before the save, says whether it fed any and which series."""
    instance._counted_in = None
    if not raw and not instance._state.adding:
        instance._counted_in = (
            IndicatorValue.objects.approved()
            .filter(pk=instance.pk)
            .values_list("indicator_id", flat=True)
            .first()
        )


@receiver(post_save, sender=IndicatorValue)
def value_saved(*, instance, raw, **kwargs):
    if raw:
        return
    series = {instance._counted_in} - {None}
    if instance.status == IndicatorValue.Status.APPROVED:
        series.add(instance.indicator_id)
    # A draft, a submission or a rejection of a value that never counted changes nothing.
    if series:
        refresh_assessments(GoalTarget.objects.filter(indicator__in=series))


@receiver(pre_delete, sender=IndicatorValue)
@receiver(pre_delete, sender=Milestone)
@receiver(pre_delete, sender=GoalTarget)
@receiver(pre_delete, sender=Action)
@receiver(pre_delete, sender=Goal)
@receiver(pre_delete, sender=FocusArea)
def mark_parts_deleted_with_what_they_hang_on(*, sender, instance, origin, **kwargs):
    """A value deleted with its indicator, a milestone with its target, a target or action
    with its goal (or anything with its strategy or focus area) says so in its deletion
    record, which django-simple-history writes after this: restoring the indicator, target,
    goal or strategy (`services.indicator_restore`, `target_restore`, `goal_restore`,
    `strategy_restore`) brings back these, not those deleted on their own before."""
    if not _deleted_by_itself(origin, sender):
        instance._change_reason = DELETED_WITH


@receiver(post_delete, sender=IndicatorValue)
def value_deleted(*, instance, origin, **kwargs):
    if instance.status == IndicatorValue.Status.APPROVED and _deleted_by_itself(
        origin, IndicatorValue
    ):
        refresh_assessments(GoalTarget.objects.filter(indicator=instance.indicator_id))


@receiver(post_save, sender=Indicator)
def indicator_saved(*, instance, raw, **kwargs):
    # Its owner or metric decides which of its values count.
    if not raw:
        refresh_assessments(GoalTarget.objects.filter(indicator=instance.pk))


@receiver(m2m_changed, sender=Indicator.reporting_organizations.through)
def reporters_changed(*, instance, action, **kwargs):
    """A metric that sums or averages its schools' values counts those of the indicator's
    reporting organizations, so adding or removing one can change the series. They are
    changed from the indicator's side: its history records them (django-simple-history
    refuses a change from the organization's side)."""
    if action in ("post_add", "post_remove", "post_clear"):
        refresh_assessments(GoalTarget.objects.filter(indicator=instance.pk))


@receiver(post_save, sender=Metric)
def metric_saved(*, instance, raw, **kwargs):
    # Its aggregation decides what the schools' values make of every indicator measuring it.
    if not raw:
        refresh_assessments(GoalTarget.objects.filter(indicator__metric=instance.pk))


@receiver(post_save, sender=Goal)
def goal_saved(*, instance, raw, **kwargs):
    # Moved to another strategy, its targets are judged by that strategy's years.
    if not raw:
        refresh_assessments(GoalTarget.objects.filter(goal=instance.pk))


@receiver(post_save, sender=Strategy)
def strategy_saved(*, instance, raw, **kwargs):
    """Publishing a new version ends the one it replaces: that one is judged from then on by
    the values of its own years (`GoalTarget.last_assessed_period`), as it is when its last
    year changes."""
    if not raw:
        strategies = {instance.pk, instance.replaces_id} - {None}
        refresh_assessments(GoalTarget.objects.filter(goal__strategy__in=strategies))


@receiver(post_delete, sender=Strategy)
def strategy_deleted(*, instance, **kwargs):
    # Without its successor, the replaced version is judged on every value again.
    if instance.replaces_id is not None:
        refresh_assessments(GoalTarget.objects.filter(goal__strategy=instance.replaces_id))
