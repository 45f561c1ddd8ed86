"""Every public page runs a fixed number of queries, whatever the amount of data: the same
count with one focus area, goal, indicator and value as with many."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Action
from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MentorshipFactory,
    MetricFactory,
    MilestoneFactory,
    ReferenceFigureFactory,
    SchoolFactory,
    StrategyFactory,
    ThemeFactory,
    WorkingModelFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    strategy: object
    area: object
    goal: object
    indicator: object
    theme: object
    working_model: object
    metric: object


def build_world(size: int) -> World:
    """A published strategy of `size` focus areas (one nested), each with `size` goals, each
    goal with `size` indicators of `size` values and a school's value, plus actions."""
    strategy = StrategyFactory()
    school = SchoolFactory(parent=strategy.owner)
    theme = ThemeFactory()
    metric = MetricFactory()
    working_model = None
    for _ in range(size):
        mentorship = MentorshipFactory(
            theme=theme, working_model=working_model or WorkingModelFactory(theme=theme)
        )
        working_model = working_model or mentorship.working_model
    first_area = first_goal = first_indicator = None
    parent = None
    for area_index in range(size):
        area = FocusAreaFactory(strategy=strategy, parent=parent if area_index == 1 else None)
        area.themes.add(theme)
        parent = parent or area
        ActionFactory(focus_area=area, state=Action.State.UNDER_WAY)
        for _ in range(size):
            goal = GoalFactory(focus_area=area)
            goal.themes.add(theme)
            ActionFactory(focus_area=area, goal=goal)
            for _ in range(size):
                indicator = IndicatorFactory(goal=goal, metric=metric)
                MilestoneFactory(indicator=indicator)
                for period in range(2024, 2024 + size):
                    IndicatorValueFactory(indicator=indicator, period=period)
                IndicatorValueFactory(indicator=indicator, organization=school)
                first_indicator = first_indicator or indicator
            first_goal = first_goal or goal
        first_area = first_area or area
    ReferenceFigureFactory(metric=metric, period=2020 + size)
    return World(strategy, first_area, first_goal, first_indicator, theme, working_model, metric)


def pages(world: World) -> dict[str, str]:
    strategy, goal, indicator = world.strategy, world.goal, world.indicator
    return {
        "front": reverse("portal:front"),
        "organization": strategy.owner.get_absolute_url(),
        "strategies": reverse("portal:strategies"),
        "strategies filtered": reverse("portal:strategies") + "?status=on_track&year=2025",
        "search": reverse("portal:search") + "?q=Indikator",
        "strategy": strategy.get_absolute_url(),
        "focus area": world.area.get_absolute_url(),
        "goal": goal.get_absolute_url(),
        "indicator": indicator.get_absolute_url(),
        "indicator csv": reverse(
            "portal:indicator_csv",
            args=[strategy.owner.slug, strategy.slug, goal.slug, indicator.slug],
        ),
        "methodology": reverse("portal:methodology"),
        "themes": reverse("portal:themes"),
        "theme": world.theme.get_absolute_url(),
        "theme by country": world.theme.get_absolute_url() + "?country=DK",
        "working model": world.working_model.get_absolute_url(),
        "comparison": world.metric.get_absolute_url() + f"?theme={world.theme.slug}",
        "accessibility": reverse("portal:accessibility"),
    }


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# The numbers each page needs; a change here must be a deliberate one.
EXPECTED = {
    "front": 6,
    "organization": 12,
    "strategies": 6,
    "strategies filtered": 6,
    "search": 8,
    "strategy": 11,
    "focus area": 10,
    "goal": 10,
    "indicator": 5,
    "indicator csv": 4,
    "methodology": 0,
    "themes": 2,
    "theme": 10,
    "theme by country": 10,
    "working model": 3,
    "comparison": 8,
    "accessibility": 0,
}


@pytest.mark.parametrize("page", EXPECTED)
def test_each_page_runs_as_many_queries_with_much_data_as_with_little(client, page):
    small = pages(build_world(1))[page]
    with_little = count_queries(client, small)
    large = pages(build_world(3))[page]

    assert count_queries(client, large) == with_little == EXPECTED[page]
