"""An indicator is one series, whatever strategies set targets on it: a value entered once is
the value of every target. A strategy that a newer version has replaced stays public, says so,
and is judged on the values of its own years."""

import pytest
from django.urls import reverse

from goals.models import Strategy
from indicators.progress import Status
from municipalities.models import Membership
from tests.factories import (
    ActionFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    MembershipFactory,
    MetricFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions():
    """HEG's Strategi 2028 (1,800 årselever) and its successor Strategi 2032 (2,400 årselever)
    on the same indicator, with a value for 2028 that meets the first target and one for 2030
    that falls far behind the second."""
    old = GoalTargetFactory(
        goal__focus_area__strategy__title="Strategi 2028",
        goal__focus_area__strategy__start_year=2023,
        goal__focus_area__strategy__end_year=2028,
    )
    strategy = old.goal.strategy
    successor = StrategyFactory(
        owner=strategy.owner, title="Strategi 2032", start_year=2029, end_year=2032,
        replaces=strategy,
    )  # fmt: skip
    new = GoalTargetFactory(
        goal__focus_area__strategy=successor,
        indicator=old.indicator,
        baseline_period=2028,
        baseline_value=1850,
        target_period=2032,
        target_value=2400,
    )
    IndicatorValueFactory(indicator=old.indicator, period=2028, value=1850, source="Årsrapport")
    IndicatorValueFactory(indicator=old.indicator, period=2030, value=1234, source="Optælling")
    return old, new


def test_a_value_entered_once_is_shown_on_every_target_and_on_the_series_page(client, versions):
    old, new = versions

    for url in [old.get_absolute_url(), new.get_absolute_url(), old.indicator.get_absolute_url()]:
        page = client.get(url).text
        assert "1.850\xa0årselever" in page, url


def test_a_replaced_strategys_target_is_judged_on_the_values_of_its_own_years(versions):
    old, new = versions

    assert old.assessment.latest.period == 2028
    assert old.assessment.status is Status.TARGET_MET
    assert new.assessment.latest.period == 2030
    assert new.assessment.status is Status.MOVING_AWAY


def test_a_replaced_strategys_target_page_leaves_the_later_values_out(client, versions):
    old, _new = versions

    page = client.get(old.get_absolute_url()).text

    assert "Optælling" not in page
    assert "Dens mål vurderes på tallene til og med 2028." in page
    assert old.indicator.get_absolute_url() in page  # the whole series is one link away


def test_the_series_page_has_every_value_with_its_source_and_every_target(client, versions):
    old, new = versions

    page = client.get(old.indicator.get_absolute_url()).text

    assert "Årsrapport" in page
    assert "1.234\xa0årselever" in page
    assert "Optælling" in page
    assert '<svg class="portal-chart__svg"' in page
    for target in (old, new):
        assert target.get_absolute_url() in page
        assert target.goal.strategy.get_absolute_url() in page
        assert target.summary in page
    assert "Målet er nået" in page
    assert "Går den forkerte vej" in page
    assert "afløst af" in page


def test_the_series_page_leaves_out_targets_of_drafts(client, versions):
    old, _new = versions
    draft = GoalTargetFactory(
        goal__focus_area__strategy=StrategyFactory(
            owner=old.indicator.organization, status=Strategy.Status.DRAFT
        ),
        indicator=old.indicator,
    )

    page = client.get(old.indicator.get_absolute_url()).text

    assert draft.goal.strategy.title not in page
    assert draft.get_absolute_url() not in page


def test_the_target_page_lists_the_other_published_targets_on_its_indicator(client, versions):
    old, new = versions
    draft = GoalTargetFactory(
        goal__focus_area__strategy=StrategyFactory(
            owner=old.indicator.organization, status=Strategy.Status.DRAFT
        ),
        indicator=old.indicator,
    )

    page = client.get(new.get_absolute_url()).text

    assert "Andre mål for den samme indikator" in page
    assert old.get_absolute_url() in page
    assert "Målet er nået" in page  # the old target's own verdict
    assert draft.get_absolute_url() not in page


def test_an_indicator_without_a_published_target_is_not_found_except_by_its_editors(client):
    draft = GoalTargetFactory(goal__focus_area__strategy__status=Strategy.Status.DRAFT)
    url = draft.indicator.get_absolute_url()
    editor = MembershipFactory(
        organization=draft.indicator.organization, role=Membership.Role.EDITOR
    ).user
    outsider = MembershipFactory(role=Membership.Role.EDITOR).user

    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "Ikke offentliggjort" in response.text


@pytest.mark.parametrize("page_of", ["strategy", "focus area", "goal", "target"])
def test_every_page_of_a_replaced_strategy_links_its_successor(client, versions, page_of):
    old, new = versions
    url = {
        "strategy": old.goal.strategy,
        "focus area": old.goal.focus_area,
        "goal": old.goal,
        "target": old,
    }[page_of].get_absolute_url()

    page = client.get(url).text

    assert "Denne strategi er afløst af" in page
    assert new.goal.strategy.get_absolute_url() in page


def test_the_successor_links_back_to_the_version_it_replaces(client, versions):
    old, new = versions

    page = client.get(new.goal.strategy.get_absolute_url()).text

    assert "Afløser" in page
    assert old.goal.strategy.get_absolute_url() in page
    assert "Denne strategi er afløst af" not in page


def test_a_draft_successor_does_not_replace_the_published_version_yet(client):
    target = GoalTargetFactory()
    StrategyFactory(owner=target.goal.strategy.owner, replaces=target.goal.strategy, status="draft")
    IndicatorValueFactory(indicator=target.indicator, period=2030, value=1900)

    page = client.get(target.get_absolute_url()).text

    assert "Denne strategi er afløst af" not in page
    assert target.assessment.latest.period == 2030


def test_the_strategy_list_marks_a_replaced_strategy(client, versions):
    old, _new = versions

    page = client.get(reverse("portal:strategies")).text

    assert page.count("Denne strategi er afløst af") == 1
    assert old.goal.strategy.get_absolute_url() in page  # the old version stays public


def test_an_action_under_a_goal_is_listed_once_under_the_goal(client):
    target = GoalTargetFactory()
    goal, area = target.goal, target.goal.focus_area
    ActionFactory(focus_area=None, goal=goal, strategy=goal.strategy, text="Styrk vejledningen")
    ActionFactory(focus_area=area, text="Byg et nyt værksted")

    for url in [goal.strategy.get_absolute_url(), area.get_absolute_url(), goal.get_absolute_url()]:
        page = client.get(url).text
        assert page.count("Styrk vejledningen") == 1, url
    assert client.get(area.get_absolute_url()).text.count("Byg et nyt værksted") == 1


def test_an_organizations_own_metric_has_no_comparison_page(client):
    own = GoalTargetFactory().indicator.metric
    shared = MetricFactory()

    assert client.get(own.get_absolute_url()).status_code == 404
    assert client.get(shared.get_absolute_url()).status_code == 200
