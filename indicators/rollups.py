"""How far a strategy, each of its focus areas and each goal has come, read in a fixed number
of queries: goal targets counted by status and actions counted by state, never an average of
percentages in different units."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from goals.models import Action, FocusArea, Strategy
from indicators.models import GoalTarget
from indicators.progress import Status, count_by_status


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


def strategy_progress(strategy: Strategy, *, drafts: bool = False) -> StrategyProgress:
    """Assess every goal target of `strategy` and roll the results up (six queries); with
    `drafts`, the unpublished goals, actions and targets too, as its editors see them."""
    actions = Action.objects.filter(strategy=strategy)
    return roll_up(
        strategy=strategy,
        targets=assessable_targets(strategy, drafts=drafts),
        # The goal comes along: an action under a goal counts toward the goal's focus area.
        actions=(actions if drafts else actions.public())
        .select_related("goal")
        .only("focus_area", "goal__focus_area", "state"),
        parents=dict(FocusArea.objects.filter(strategy=strategy).values_list("pk", "parent_id")),
    )


def assessable_targets(strategy: Strategy, *, drafts: bool = False) -> list[GoalTarget]:
    """The goal targets of `strategy`: the public ones, or with `drafts` all of them."""
    targets = GoalTarget.objects.filter(goal__strategy=strategy)
    return list(
        (targets if drafts else targets.public())
        .with_progress()
        .order_by("goal__focus_area__order", "goal__order", "order", "pk")
    )


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
    area; `action.goal` must already be loaded.
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
        record(target.goal.focus_area_id, target.goal_id, status=target.assessment.status)
    for action in actions:
        record(action.parent_focus_area_id, action.goal_id, action_state=action.state)

    return StrategyProgress(
        strategy=strategy,
        targets=targets,
        total=total,
        by_focus_area=by_focus_area,
        by_goal=by_goal,
    )
