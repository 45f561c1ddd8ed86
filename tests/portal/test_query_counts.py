"""Every public page runs a fixed number of queries, whatever the amount of data: the same
count with one focus area, goal, indicator and value as with many."""

from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Action
from indicators.models import Metric
from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    GoalTargetFactory,
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
    successor: object
    area: object
    goal: object
    target: object
    theme: object
    working_model: object
    metric: object
    weighted_target: object


def build_world(size: int) -> World:
    """A published strategy of `size` focus areas (one nested), each with `size` goals, each
    goal with `size` targets on indicators of a shared metric with `size` values and a
    school's value, plus actions under focus areas and under goals. A published successor
    sets `size` more targets on the first indicator. The first goal also targets a weighted
    mean of `size` schools' values, each school with a value for `size` periods."""
    strategy = StrategyFactory()
    successor = StrategyFactory(owner=strategy.owner, replaces=strategy, end_year=2032)
    school = SchoolFactory(parent=strategy.owner)
    theme = ThemeFactory()
    metric = MetricFactory()
    working_model = None
    for _ in range(size):
        mentorship = MentorshipFactory(
            theme=theme, working_model=working_model or WorkingModelFactory(theme=theme)
        )
        working_model = working_model or mentorship.working_model
    first_area = first_goal = first_target = None
    parent = None
    for area_index in range(size):
        area = FocusAreaFactory(strategy=strategy, parent=parent if area_index == 1 else None)
        area.themes.add(theme)
        parent = parent or area
        ActionFactory(focus_area=area, state=Action.State.UNDER_WAY)
        for _ in range(size):
            goal = GoalFactory(focus_area=area)
            goal.themes.add(theme)
            ActionFactory(focus_area=None, goal=goal, strategy=strategy)
            for _ in range(size):
                target = GoalTargetFactory(goal=goal, indicator__metric=metric)
                MilestoneFactory(target=target)
                for period in range(2024, 2024 + size):
                    IndicatorValueFactory(indicator=target.indicator, period=period)
                IndicatorValueFactory(indicator=target.indicator, organization=school)
                first_target = first_target or target
            first_goal = first_goal or goal
        first_area = first_area or area
    for _ in range(size):
        later = GoalTargetFactory(
            goal__focus_area__strategy=successor,
            indicator=first_target.indicator,
            target_period=2032,
            target_value=2000,
        )
        MilestoneFactory(target=later, period=2030)
    weighted_target = GoalTargetFactory(
        goal=first_goal,
        indicator__metric__aggregation=Metric.Aggregation.WEIGHTED_MEAN,
        indicator__metric__weight_label="antal elever",
        indicator__reporting_organizations=SchoolFactory.create_batch(size, parent=strategy.owner),
    )
    for reporter in weighted_target.indicator.reporting_organizations.all():
        for period in range(2024, 2024 + size):
            IndicatorValueFactory(
                indicator=weighted_target.indicator,
                organization=reporter,
                period=period,
                weight=100,
            )
    ReferenceFigureFactory(metric=metric, period=2020 + size)
    return World(
        strategy,
        successor,
        first_area,
        first_goal,
        first_target,
        theme,
        working_model,
        metric,
        weighted_target,
    )


def pages(world: World) -> dict[str, str]:
    strategy, goal, target = world.strategy, world.goal, world.target
    return {
        "front": reverse("portal:front"),
        "organization": strategy.owner.get_absolute_url(),
        "strategies": reverse("portal:strategies"),
        "strategies filtered": reverse("portal:strategies") + "?status=on_track&year=2025",
        "search": reverse("portal:search") + "?q=Strategi",
        "search for a misspelling": reverse("portal:search") + "?q=Strategj",
        "strategy": strategy.get_absolute_url(),
        "successor": world.successor.get_absolute_url(),
        "focus area": world.area.get_absolute_url(),
        "goal": goal.get_absolute_url(),
        "target": target.get_absolute_url(),
        "target csv": reverse(
            "portal:indicator_csv",
            args=[strategy.owner.slug, strategy.slug, goal.slug, target.indicator.slug],
        ),
        "series": target.indicator.get_absolute_url(),
        "target of a weighted mean": world.weighted_target.get_absolute_url(),
        "series of a weighted mean": world.weighted_target.indicator.get_absolute_url(),
        "methodology": reverse("portal:methodology"),
        "themes": reverse("portal:themes"),
        "theme": world.theme.get_absolute_url(),
        "theme by country": world.theme.get_absolute_url() + "?country=DK",
        "working model": world.working_model.get_absolute_url(),
        "comparison": world.metric.get_absolute_url() + f"?theme={world.theme.slug}",
        "comparison of schools": world.metric.get_absolute_url() + "?show=schools&side=2",
        "accessibility": reverse("portal:accessibility"),
    }


def get_counting_queries(client, url: str) -> tuple[int, int]:
    """The page's status code and the number of queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def count_queries(client, url: str) -> int:
    status_code, count = get_counting_queries(client, url)
    assert status_code == 200, url
    return count


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """Each page's status code and query count with the little world alone, and the pages of
    the large world built after it, for the module's tests to share: building both took
    most of the module's time when every test built its own. The little counts are taken
    before the large world exists, as a page such as the front page has one address for
    both. Rolled back after the module; each test runs in a savepoint inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        client = Client()
        with_little = {
            name: get_counting_queries(client, url) for name, url in pages(build_world(1)).items()
        }
        yield with_little, pages(build_world(3))
        transaction.set_rollback(True)


# The numbers each page needs; a change here must be a deliberate one.
EXPECTED = {
    "front": 8,
    # One for the organization's own published figures (context series).
    "organization": 13,
    # One more since the list has pages: the strategies found are counted. Filtered by
    # status, one more to find targets without a stored status (there are none).
    "strategies": 4,
    "strategies filtered": 5,
    # One per kind: its first results with their count, capped, in a subquery (strategies,
    # focus areas, goals, indicators, themes, working models).
    "search": 6,
    # On PostgreSQL two more when fewer than 3 are found: the words nearest a misspelling,
    # then which of them something visible holds.
    "search for a misspelling": 8 if connection.vendor == "postgresql" else 6,
    # One for the links to its published status reports.
    "strategy": 12,
    "focus area": 10,
    "goal": 10,
    "successor": 12,
    # One each for when a public value last changed, from the values' history, and for the
    # whole country's published figures of the measurement.
    "target": 9,
    "target csv": 4,
    "series": 6,
    "target of a weighted mean": 9,
    "series of a weighted mean": 6,
    "methodology": 0,
    "themes": 2,
    # The organizations are counted and a page of them read; the targets come with their
    # stored assessments, without their indicators' values. The measurements to compare
    # take two: those the theme's goals use, then those of them with something to compare.
    "theme": 10,
    "theme by country": 10,
    "working model": 3,
    # Two more since the table has pages: the series are counted and a page of them read.
    "comparison": 9,
    "comparison of schools": 8,
    "accessibility": 0,
}


@pytest.mark.parametrize("page", EXPECTED)
def test_each_page_runs_as_many_queries_with_much_data_as_with_little(client, worlds, page):
    little, large = worlds
    status_code, with_little = little[page]
    assert status_code == 200, page

    assert count_queries(client, large[page]) == with_little == EXPECTED[page]


@pytest.mark.parametrize("page", ["target of a weighted mean", "series of a weighted mean"])
def test_the_weighted_mean_counted_is_derived_from_the_schools(client, worlds, page):
    # So that the counts above are those of pages that derive and mark values.
    url = worlds[1][page]

    assert "Beregnet ud fra 3 af 3 skolers tal" in client.get(url).text


def organizations_on(theme, count: int) -> None:
    """`count` organizations, each with a published strategy whose goal on `theme` has a
    target with a value, on a shared measurement (which the theme page offers to compare)."""
    metric = MetricFactory()
    for _ in range(count):
        target = GoalTargetFactory(indicator__metric=metric)
        target.goal.themes.add(theme)
        IndicatorValueFactory(indicator=target.indicator, period=2024)


@pytest.mark.parametrize("page", ["strategies", "theme"])
def test_a_later_page_of_a_long_list_runs_as_many_queries_as_a_short_list(client, page):
    theme = ThemeFactory()
    url = {"strategies": reverse("portal:strategies"), "theme": theme.get_absolute_url()}[page]
    organizations_on(theme, 1)
    with_little = count_queries(client, url + "?side=2")
    organizations_on(theme, 30)

    assert count_queries(client, url + "?side=2") == with_little == EXPECTED[page]
