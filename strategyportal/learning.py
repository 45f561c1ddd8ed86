"""Goals and focus areas on one theme, gathered per organization for the theme page."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from goals.models import FocusArea, Goal
from indicators.models import GoalTarget, IndicatorValue, TargetAssessment
from indicators.services import refresh_assessments
from municipalities.models import Organization


@dataclass
class TargetOnTheme:
    """A goal target as the theme page shows it: its stored status and progress, no path
    or forecast, so that its indicator's values are never read. Has what
    includes/progress.html reads of a target."""

    target: GoalTarget

    @property
    def assessment(self) -> TargetAssessment:
        return self.target.stored_assessment

    @property
    def hides_latest(self) -> bool:
        return self.target.hides(self.assessment.latest_value)


@dataclass
class GoalOnTheme:
    goal: Goal
    targets: list[TargetOnTheme] = field(default_factory=list)


@dataclass
class OrganizationOnTheme:
    organization: Organization
    areas: list[FocusArea] = field(default_factory=list)
    goals: list[GoalOnTheme] = field(default_factory=list)


def group_by_organization(
    organizations: list[Organization],
    *,
    goals: Iterable[Goal],
    areas: Iterable[FocusArea],
    targets: Iterable[GoalTarget],
) -> list[OrganizationOnTheme]:
    """`organizations` in their order, each with its focus areas and goals on the theme and
    the goals' targets; the goals and areas are those of these organizations."""
    groups = {organization.pk: OrganizationOnTheme(organization) for organization in organizations}
    for area in areas:
        groups[area.strategy.owner_id].areas.append(area)
    nodes: dict[int, GoalOnTheme] = {}
    for goal in goals:
        nodes[goal.pk] = GoalOnTheme(goal)
        groups[goal.strategy.owner_id].goals.append(nodes[goal.pk])
    for target in targets:
        nodes[target.goal_id].targets.append(TargetOnTheme(target))
    return list(groups.values())


def targets_of(goals: list[Goal], *, user) -> list[GoalTarget]:
    """The targets of `goals` that `user` may see, with their stored assessments and whether
    their values are illustrative, in one query. A target written in bulk without one (see
    indicators.rollups) is assessed now rather than left out."""
    targets = list(
        GoalTarget.objects.visible_to(user)
        .filter(goal__in=goals)
        .select_related("goal__strategy__owner", "indicator__metric", "stored_assessment")
        .annotate(
            illustrative=Exists(
                IndicatorValue.objects.approved().filter(
                    indicator=OuterRef("indicator"), is_illustrative=True
                )
            )
        )
        .order_by("goal", "order", "pk")
    )
    unassessed = [target.pk for target in targets if not hasattr(target, "stored_assessment")]
    if unassessed:
        refresh_assessments(GoalTarget.objects.filter(pk__in=unassessed))
        return targets_of(goals, user=user)
    return targets
