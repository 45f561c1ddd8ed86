"""How far a strategy, each of its focus areas and each goal has come, read in a fixed number
of queries: goal targets counted by status and actions counted by state, never an average of
percentages in different units. The statuses are the stored ones (`TargetAssessment`), so a
roll-up reads one row per target, not its indicator's values.

Every change the portal makes stores the assessments it affects, but targets written in bulk
around it (a benchmark's, rows copied in by SQL) have none yet. Rather than leave them out, a
roll-up that meets one assesses it then, once; one that finds every target assessed, as it
does, runs no query for this."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from goals.models import Action, FocusArea, Strategy
from indicators.models import GoalTarget
from indicators.progress import Status, count_by_status
from indicators.services import refresh_assessments


@dataclass
class Rollup:
    targets: dict[Status, int] = field(default_factory=lambda: count_by_status([]))
    actions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Action.State, 0))

    @property
    def target_count(self) -> int:
        return sum(self.targets.values())

    @property
    def action_count(self) -> int:
        return sum(self.actions.values())

    @property
    def is_empty(self) -> bool:
        return not self.target_count and not self.action_count

    def add(self, *, status: Status | None = None, action_state: str | None = None) -> None:
        if status is not None:
            self.targets[status] += 1
        if action_state is not None:
            self.actions[action_state] += 1


@dataclass
class StrategyProgress:
    """The goal targets of one strategy with their assessments, and the roll-ups of their
    statuses."""

    strategy: Strategy
    targets: list[GoalTarget]
    total: Rollup
    by_focus_area: dict[int, Rollup]
    by_goal: dict[int, Rollup]

    def for_focus_area(self, focus_area_id: int) -> Rollup:
        return self.by_focus_area.get(focus_area_id) or Rollup()

    def for_goal(self, goal_id: int) -> Rollup:
        return self.by_goal.get(goal_id) or Rollup()


def strategy_progress(strategy: Strategy, *, user=None) -> StrategyProgress:
    """Every goal target of `strategy` that `user` may see (the public ones, or for its
    editors the unpublished goals, actions and targets too), ready to be assessed, with its
    stored status rolled up (six queries)."""
    return roll_up(
        strategy=strategy,
        targets=assessable_targets(strategy, user=user),
        # The goal comes along: an action under a goal counts toward the goal's focus area.
        actions=Action.objects.filter(strategy=strategy)
        .visible_to(user)
        .select_related("goal")
        .only("focus_area", "goal__focus_area", "state"),
        parents=dict(FocusArea.objects.filter(strategy=strategy).values_list("pk", "parent_id")),
    )


def assessable_targets(strategy: Strategy, *, user=None) -> list[GoalTarget]:
    """The goal targets of `strategy` that `user` may see, with their stored assessments and
    what their pages need to assess them in full."""
    found = list(
        GoalTarget.objects.filter(goal__strategy=strategy)
        .visible_to(user)
        .with_progress()
        .select_related("stored_assessment")
        .order_by("goal__focus_area__order", "goal__order", "order", "pk")
    )
    unassessed = [target.pk for target in found if not hasattr(target, "stored_assessment")]
    if unassessed:  # see the module's docstring
        refresh_assessments(GoalTarget.objects.filter(pk__in=unassessed))
        return assessable_targets(strategy, user=user)
    return found


def status_counts(targets: QuerySet[GoalTarget]) -> dict[int, dict[Status, int]]:
    """How many of `targets` each strategy has of each status, from the stored assessments in
    one query, whatever the number of targets; the statuses a strategy has none of are left
    out, the others come from worst to best."""
    counted = list(
        targets.order_by()
        .values_list("goal__strategy_id", "stored_assessment__status")
        .annotate(count=Count("pk"))
    )
    if any(status is None for _strategy, status, _count in counted):  # see the module's docstring
        refresh_assessments(targets.filter(stored_assessment__isnull=True))
        return status_counts(targets)
    by_strategy: dict[int, dict[Status, int]] = {}
    for strategy_id, status, count in counted:
        by_strategy.setdefault(strategy_id, count_by_status([]))[Status(status)] = count
    return {
        strategy_id: {status: count for status, count in counts.items() if count}
        for strategy_id, counts in by_strategy.items()
    }


def roll_up(
    *,
    strategy: Strategy,
    targets: list[GoalTarget],
    actions: Iterable[Action],
    parents: dict[int, int | None],
) -> StrategyProgress:
    """Count target statuses and action states per goal, focus area and strategy.

    A focus area's roll-up includes the goals and actions of the focus areas nested under it
    (`parents` maps each focus area to its parent), so Herning's "Mål 3" counts what its four
    fokuspunkter hold. An action under a goal counts toward the goal and the goal's focus
    area; `action.goal` and each target's `stored_assessment` must already be loaded.
    """
    total = Rollup()
    by_focus_area: dict[int, Rollup] = {}
    by_goal: dict[int, Rollup] = {}

    def record(focus_area_id, goal_id, **outcome):
        total.add(**outcome)
        if goal_id is not None:
            by_goal.setdefault(goal_id, Rollup()).add(**outcome)
        while focus_area_id is not None:
            by_focus_area.setdefault(focus_area_id, Rollup()).add(**outcome)
            focus_area_id = parents.get(focus_area_id)

    for target in targets:
        status = Status(target.stored_assessment.status)
        record(target.goal.focus_area_id, target.goal_id, status=status)
    for action in actions:
        record(action.parent_focus_area_id, action.goal_id, action_state=action.state)

    return StrategyProgress(
        strategy=strategy,
        targets=targets,
        total=total,
        by_focus_area=by_focus_area,
        by_goal=by_goal,
    )
