"""A strategy laid out for its page: focus areas (nested one level) with their goals,
actions and assessed goal targets, built in memory from a fixed number of queries."""

from dataclasses import dataclass, field

from goals.models import Action, FocusArea, Goal, Strategy
from indicators.models import GoalTarget
from indicators.rollups import Rollup, StrategyProgress, assessable_targets, roll_up


@dataclass
class GoalNode:
    goal: Goal
    targets: list[GoalTarget] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    rollup: Rollup = field(default_factory=Rollup)


@dataclass
class AreaNode:
    area: FocusArea
    goals: list[GoalNode] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # actions of the area, not of its goals
    children: list["AreaNode"] = field(default_factory=list)
    rollup: Rollup = field(default_factory=Rollup)


@dataclass
class Outline:
    strategy: Strategy
    progress: StrategyProgress
    areas: list[AreaNode]  # top-level focus areas
    goals: list[GoalNode]  # goals of the whole strategy, outside any focus area
    actions: list[Action]  # actions of the whole strategy
    areas_by_pk: dict[int, AreaNode]

    def find_area(self, slug: str) -> AreaNode | None:
        return next((node for node in self.areas_by_pk.values() if node.area.slug == slug), None)

    def area_of(self, node: GoalNode | AreaNode) -> AreaNode | None:
        """The focus area a goal sits in, or the parent of a focus area."""
        if isinstance(node, GoalNode):
            return self.areas_by_pk.get(node.goal.focus_area_id)
        return self.areas_by_pk.get(node.area.parent_id)

    def find_goal(self, slug: str) -> GoalNode | None:
        for node in self.all_goals():
            if node.goal.slug == slug:
                return node
        return None

    def all_goals(self) -> list[GoalNode]:
        nodes = list(self.goals)
        for area in self.areas_by_pk.values():
            nodes.extend(area.goals)
        return nodes


def build_outline(strategy: Strategy, *, user=None) -> Outline:
    """Seven queries, whatever the size of the strategy. What `user` may see: the public
    parts, and for the strategy's editors the unpublished goals, actions and targets too,
    previewed on the public pages."""
    focus_areas = _of_strategy(FocusArea, strategy, user=user)
    goal_list = _of_strategy(Goal, strategy, user=user)
    by_pk = {goal.pk: goal for goal in goal_list}
    actions = _of_strategy(Action, strategy, user=user)
    for action in actions:
        if action.goal_id is not None:
            action.goal = by_pk[action.goal_id]  # the roll-up reads the goal's focus area
    progress = roll_up(
        strategy=strategy,
        targets=assessable_targets(strategy, user=user),
        actions=actions,
        parents={area.pk: area.parent_id for area in focus_areas},
    )
    areas = {
        area.pk: AreaNode(area=area, rollup=progress.for_focus_area(area.pk))
        for area in focus_areas
    }
    goals = {goal.pk: GoalNode(goal=goal, rollup=progress.for_goal(goal.pk)) for goal in goal_list}
    for target in progress.targets:
        goals[target.goal_id].targets.append(target)

    # An action has at most one parent, so each is listed once: under its goal, its focus
    # area or the whole strategy.
    loose_actions = []
    for action in actions:
        if action.goal_id is not None:
            goals[action.goal_id].actions.append(action)
        elif action.focus_area_id is not None:
            areas[action.focus_area_id].actions.append(action)
        else:
            loose_actions.append(action)

    loose_goals = []
    for node in goals.values():
        if node.goal.focus_area_id is None:
            loose_goals.append(node)
        else:
            areas[node.goal.focus_area_id].goals.append(node)

    top_level = []
    for node in areas.values():
        if node.area.parent_id is None:
            top_level.append(node)
        else:
            areas[node.area.parent_id].children.append(node)

    return Outline(
        strategy=strategy,
        progress=progress,
        areas=top_level,
        goals=loose_goals,
        actions=loose_actions,
        areas_by_pk=areas,
    )


def _of_strategy(model, strategy: Strategy, *, user) -> list:
    """The strategy's parts that `user` may see, in order, each holding the already fetched
    strategy so that building their links runs no query."""
    parts = list(model.objects.filter(strategy=strategy).visible_to(user).order_by("order", "pk"))
    for part in parts:
        part.strategy = strategy
    return parts
