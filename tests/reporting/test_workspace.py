"""The staff start page in the admin: one's own strategies and how far they have come, what
waits, the indicators without a number, and what others changed."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import IndicatorValue
from strategyportal.workspace import latest_period
from tests.factories import (
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    StrategyFactory,
    UserFactory,
)

INDEX = reverse("admin:index")


def test_an_editor_sees_their_strategies_with_their_targets_counted(world, login):
    assert world.hillerod_goal.strategy.title
    page = login(world.users["editor at Herning"]).get(INDEX).text

    assert "Dine strategier" in page
    assert world.herning_goal.strategy.title in page
    assert "Hemmeligt udkast" in page  # the editor's own draft, with a link to preview it
    assert "Se kladden" in page
    assert world.hillerod_goal.strategy.title not in page
    assert "1 for få tal" in page


def test_the_indicators_without_an_approved_number_for_the_latest_period_are_listed(world, login):
    counted = IndicatorFactory(organization=world.herning, name="Tal med værdi")
    IndicatorValueFactory(indicator=counted, organization=world.herning, period=latest_period())
    IndicatorFactory(organization=world.hillerod, name="Hillerøds indikator")

    page = login(world.users["editor at Herning"]).get(INDEX).text

    section = page.split('id="workspace-missing"')[1].split('id="workspace-changes"')[0]
    assert world.indicator.name in section
    assert "Tal med værdi" not in section
    assert "Hillerøds indikator" not in section


def test_changes_by_others_are_listed_and_ones_own_are_not(world, login):
    goal = world.herning_goal
    goal.text = "Flere elever i 0. klasse"
    goal._history_user = world.users["superuser"]
    goal.save()
    own = world.target
    own.target_value = 55
    own._history_user = world.users["editor at Herning"]
    own.save()

    page = login(world.users["editor at Herning"]).get(INDEX).text

    section = page.split('id="workspace-changes"')[1]
    assert "Flere elever i 0. klasse" in section
    assert "Mål ændret" in section
    assert "root" in section
    assert "Målsætning ændret" not in section


def test_a_superuser_without_memberships_gets_the_lists_not_the_whole_country(world, login):
    page = login(world.users["superuser"]).get(INDEX).text

    assert "Som superbruger er du ikke redaktør" in page
    assert "Dine strategier" not in page


def test_the_start_page_runs_as_many_queries_for_a_large_municipality_as_for_a_small_one(
    world, login
):
    client = login(world.users["editor at Herning"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INDEX).status_code == 200
        return len(queries)

    count()
    small = count()
    other = UserFactory(username="anden")
    for _ in range(3):
        strategy = StrategyFactory(owner=world.herning)
        target = GoalTargetFactory(goal=GoalFactory(focus_area__strategy=strategy))
        IndicatorValueFactory(
            indicator=target.indicator,
            organization=world.herning,
            status=IndicatorValue.Status.SUBMITTED,
            entered_by=other,
        )
        target.goal._history_user = other
        target.goal.save()

    assert count() == small
