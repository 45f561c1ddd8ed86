"""Every list and detail of the API runs a fixed number of queries, the same with one row of
each kind as with three."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import GoalTarget
from tests.api.conftest import ENDPOINTS
from tests.factories import (
    ActionFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    ReferenceFigureFactory,
    SchoolFactory,
    StrategyFactory,
    WorkingModelFactory,
)

pytestmark = pytest.mark.django_db

# Queries per answer: the page, and one per prefetched relation (an organization's
# children, a network's members, a part's themes, an indicator's reporters, a target's
# milestones).
QUERIES = {
    "organizations": 2,
    "networks": 3,
    "strategies": 1,
    "focus-areas": 2,
    "goals": 2,
    "actions": 1,
    "metrics": 1,
    "indicators": 2,
    "targets": 2,
    "values": 1,
    "reference-figures": 1,
    "themes": 1,
    "working-models": 1,
}


def add_rows(count: int) -> None:
    """`count` more of each kind: a municipality with a school, in a network of its own with
    another member, with a strategy and its successor, a themed focus area and goal with an
    action and a target with a milestone and a value, a working model on the theme, and the
    school's published figure of the metric beside the country's."""
    for _ in range(count):
        school = SchoolFactory()
        network = NetworkFactory()
        NetworkMembershipFactory(network=network, member=school.parent)
        NetworkMembershipFactory(network=network, member=school)
        strategy = StrategyFactory(owner=school.parent)
        StrategyFactory(owner=school.parent, replaces=strategy)
        target = GoalTargetFactory(goal__focus_area__strategy=strategy)
        goal, area = target.goal, target.goal.focus_area
        working_model = WorkingModelFactory(document=strategy)
        goal.themes.add(working_model.theme)
        area.themes.add(working_model.theme)
        ActionFactory(focus_area=area)
        MilestoneFactory(target=target)
        IndicatorValueFactory(indicator=target.indicator, period=2024)
        metric = target.indicator.metric
        ReferenceFigureFactory(metric=metric)
        ReferenceFigureFactory(
            metric=metric, label=school.name, organization=school, scope="organization"
        )


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_list_runs_the_same_queries_with_one_row_as_with_three(client, name):
    add_rows(1)
    one = queries_of(client, f"/api/v1/{name}/")
    add_rows(2)
    rows = client.get(f"/api/v1/{name}/").json()["results"]

    assert len(rows) >= 3
    assert queries_of(client, f"/api/v1/{name}/") == one == QUERIES[name]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_detail_runs_as_many_queries_as_a_page_of_its_list(client, name):
    add_rows(2)
    row = client.get(f"/api/v1/{name}/").json()["results"][-1]
    key = row["slug"] if name in ("organizations", "networks", "metrics", "themes") else row["id"]

    assert queries_of(client, f"/api/v1/{name}/{key}/") == QUERIES[name]


def test_a_filtered_list_adds_no_query_per_row(client):
    add_rows(3)
    theme = client.get("/api/v1/themes/").json()["results"][0]["slug"]
    status = client.get("/api/v1/targets/").json()["results"][0]["assessment"]["status"]

    assert queries_of(client, f"/api/v1/goals/?theme={theme}&country=DK") == 3
    assert queries_of(client, f"/api/v1/targets/?status={status}") == 2
    assert queries_of(client, "/api/v1/values/?period=2024&country=DK") == 1


def test_a_targets_series_runs_as_many_queries_with_many_values_as_with_one(client):
    add_rows(1)
    target = GoalTarget.objects.get()
    url = f"/api/v1/targets/{target.pk}/series/"
    one = queries_of(client, url)
    schools = SchoolFactory.create_batch(3, parent=target.indicator.organization)
    target.indicator.reporting_organizations.set(schools)
    for period in (2021, 2022, 2023):
        MilestoneFactory(target=target, period=period)
        for school in schools:
            IndicatorValueFactory(indicator=target.indicator, organization=school, period=period)

    assert len(client.get(url).json()) > 4
    # The target with its goal, strategy, successor and indicator; its values; its
    # reporters; its milestones.
    assert queries_of(client, url) == one == 4
