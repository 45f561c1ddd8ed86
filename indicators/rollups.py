"""How far a strategy, each of its focus areas and each goal has come, read in a fixed number
of queries: indicators counted by status and actions counted by state, never an average of
percentages in different units."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from goals.models import Action, FocusArea, Strategy
from indicators.models import Indicator
from indicators.progress import Status, count_by_status


@dataclass
class Rollup:
    indicators: dict[Status, int] = field(default_factory=lambda: count_by_status([]))
    actions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Action.State, 0))

    @property
    def indicator_count(self) -> int:
        return sum(self.indicators.values())

    @property
    def action_count(self) -> int:
        return sum(self.actions.values())

    @property
    def is_empty(self) -> bool:
        return not self.indicator_count and not self.action_count

    def add(self, *, status: Status | None = None, action_state: str | None = None) -> None:
        if status is not None:
            self.indicators[status] += 1
        if action_state is not None:
            self.actions[action_state] += 1


@dataclass
class StrategyProgress:
    """Indicators of one strategy with their assessments, and the roll-ups of their statuses."""

    strategy: Strategy
    indicators: list[Indicator]
    total: Rollup
    by_focus_area: dict[int, Rollup]
    by_goal: dict[int, Rollup]

    def for_focus_area(self, focus_area_id: int) -> Rollup:
        return self.by_focus_area.get(focus_area_id) or Rollup()

    def for_goal(self, goal_id: int) -> Rollup:
        return self.by_goal.get(goal_id) or Rollup()

    def indicators_of_goal(self, goal_id: int) -> list[Indicator]:
        return [indicator for indicator in self.indicators if indicator.goal_id == goal_id]


def strategy_progress(strategy: Strategy) -> StrategyProgress:
    """Assess every indicator of `strategy` and roll the results up (six queries)."""
    return roll_up(
        strategy=strategy,
        indicators=assessable_indicators(strategy),
        actions=Action.objects.filter(strategy=strategy).only("focus_area_id", "goal_id", "state"),
        parents=dict(FocusArea.objects.filter(strategy=strategy).values_list("pk", "parent_id")),
    )


def assessable_indicators(strategy: Strategy) -> list[Indicator]:
    return list(
        Indicator.objects.filter(goal__strategy=strategy)
        .with_progress()
        .order_by("goal__focus_area__order", "goal__order", "order", "pk")
    )


def roll_up(
    *,
    strategy: Strategy,
    indicators: list[Indicator],
    actions: Iterable[Action],
    parents: dict[int, int | None],
) -> StrategyProgress:
    """Count indicator statuses and action states per goal, focus area and strategy.

    A focus area's roll-up includes the goals and actions of the focus areas nested under it
    (`parents` maps each focus area to its parent), so Herning's "Mål 3" counts what its four
    fokuspunkter hold.
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

    for indicator in indicators:
        record(indicator.goal.focus_area_id, indicator.goal_id, status=indicator.assessment.status)
    for action in actions:
        record(action.focus_area_id, action.goal_id, action_state=action.state)

    return StrategyProgress(
        strategy=strategy,
        indicators=indicators,
        total=total,
        by_focus_area=by_focus_area,
        by_goal=by_goal,
    )
