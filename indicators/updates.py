"""The event log that citizens follow (`Update`): what is recorded, and when. Each function is
called inside the transaction of the change it records, so an event exists exactly when its
change was committed.

- a value approved: `services.value_approve`, the only way a value becomes approved one at a
  time (an import or an edit submits values for approval; `generate_national_data` writes
  illustrative values in bulk and records nothing);
- a value approved again (edited in the admin, so submitted, then approved anew): its earlier
  events are deleted, so a feed shows each value once, with its date of approval;
- a verdict changed: `services.refresh_assessments`, which every change of what a verdict is
  made of goes through; a target assessed for the first time has no verdict to change from.
  Only for a target that is published, with its goal and strategy, at that moment: what
  changed in a draft is no news with that date when the draft is published. Nothing when the
  verdicts are recomputed in bulk (`record_updates=False`: a rules release, an import, the
  illustrative data), since a change of rules is not news about a goal;
- a published target changed: `signals`, on every save of a target, by the rule of
  `GoalTarget.target_changes`: the target was published before and after the save and aims
  for something else.

Values' events are recorded for drafts too; what a reader may see is decided when it is read
(`UpdateQuerySet.public`). Nothing is recorded for what happened before this log existed."""

from collections.abc import Iterable, Mapping

from indicators.models import GoalTarget, IndicatorValue, TargetAssessment, Update
from indicators.progress import Direction, Target


def value_approved(value: IndicatorValue) -> None:
    """A new approved value, as an event of every target set on its indicator, replacing the
    events of its earlier approvals."""
    Update.objects.filter(kind=Update.Kind.VALUE_APPROVED, value=value).delete()
    targets = GoalTarget.objects.filter(indicator=value.indicator_id).select_related(
        "goal__strategy"
    )
    Update.objects.bulk_create(
        _update(target, Update.Kind.VALUE_APPROVED, {"period": value.period}, value=value)
        for target in targets
    )


def verdicts_changed(assessments: Iterable[TargetAssessment], before: Mapping[int, str]) -> None:
    """The targets whose stored verdict changed from `before` (status by target id) to the one
    in `assessments`, of the targets published at this moment (`GoalTarget.objects.public()`,
    one query); each assessment's target is read with its goal and strategy."""
    changed = [
        assessment
        for assessment in assessments
        if assessment.target_id in before and before[assessment.target_id] != assessment.status
    ]
    if not changed:
        return
    public = set(
        GoalTarget.objects.public()
        .filter(pk__in=[assessment.target_id for assessment in changed])
        .values_list("pk", flat=True)
    )
    Update.objects.bulk_create(
        _update(
            assessment.target,
            Update.Kind.VERDICT_CHANGED,
            {
                "period": assessment.latest_period,
                "old": before[assessment.target_id],
                "new": assessment.status,
            },
        )
        for assessment in changed
        if assessment.target_id in public
    )


def target_saved(target: GoalTarget, before: Target | None) -> None:
    """A target the public reads (published, with its goal and strategy) now aiming for
    something other than `before`, what it aimed for when it was last saved so (None: it was
    a draft, or in a draft goal or strategy, or new): an editor's changes while drafting a
    strategy were never public, and are not news when it is published."""
    after = target.aim
    if before is None or before == after:
        return
    if not GoalTarget.objects.public().filter(pk=target.pk).exists():
        return
    Update.objects.create(
        **_fields(target),
        kind=Update.Kind.TARGET_CHANGED,
        payload={
            "old": aim_as_payload(before),
            "new": aim_as_payload(after),
            "reason": getattr(target, "_change_reason", "") or "",
        },
    )


def aim_as_payload(aim: Target) -> dict:
    return {
        "direction": aim.direction.value,
        "value": aim.value,
        "upper": aim.upper,
        "period": aim.period,
        "stated_growth": aim.stated_growth,
    }


def aim_from_payload(payload: dict) -> Target:
    return Target(
        direction=Direction(payload["direction"]),
        value=payload["value"],
        upper=payload["upper"],
        period=payload["period"],
        stated_growth=payload["stated_growth"],
    )


def _fields(target: GoalTarget) -> dict:
    strategy = target.goal.strategy
    return {
        "target": target,
        "organization_id": strategy.owner_id,
        "strategy_id": strategy.pk,
        "goal_id": target.goal_id,
    }


def _update(target: GoalTarget, kind: str, payload: dict, value=None) -> Update:
    return Update(**_fields(target), kind=kind, payload=payload, value=value)
