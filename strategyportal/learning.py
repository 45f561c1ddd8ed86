"""Goals and focus areas on one theme, gathered per organization for the theme page."""

from dataclasses import dataclass, field

from goals.models import FocusArea, Goal
from indicators.models import GoalTarget
from municipalities.models import Organization


@dataclass
class GoalOnTheme:
    goal: Goal
    targets: list[GoalTarget] = field(default_factory=list)


@dataclass
class OrganizationOnTheme:
    organization: Organization
    areas: list[FocusArea] = field(default_factory=list)
    goals: list[GoalOnTheme] = field(default_factory=list)


def group_by_organization(
    goals: list[Goal], areas: list[FocusArea], targets: list[GoalTarget]
) -> list[OrganizationOnTheme]:
    """Organizations in order of country and name, each with its focus areas and goals on the
    theme and the goals' targets."""
    groups: dict[int, OrganizationOnTheme] = {}

    def group(organization):
        return groups.setdefault(organization.pk, OrganizationOnTheme(organization))

    for area in areas:
        group(area.strategy.owner).areas.append(area)
    nodes = {goal.pk: GoalOnTheme(goal) for goal in goals}
    for goal in goals:
        group(goal.strategy.owner).goals.append(nodes[goal.pk])
    for target in targets:
        nodes[target.goal_id].targets.append(target)
    return sorted(groups.values(), key=lambda g: (g.organization.country, g.organization.name))
