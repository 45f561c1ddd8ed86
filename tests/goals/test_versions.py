"""A strategy's next version: created in one step from the current one, keeping the indicators
and their whole history; the old version stays public and is marked as succeeded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from goals.models import Action, Goal, Strategy
from goals.services import strategy_create_next_version
from indicators.models import GoalTarget, Indicator, IndicatorValue
from municipalities.models import Membership, Organization
from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    MembershipFactory,
    MilestoneFactory,
    StrategyFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def editor_of(organization):
    return MembershipFactory(
        organization=organization, role=Membership.Role.EDITOR, user__is_staff=True
    ).user


def test_the_next_version_copies_areas_goals_actions_and_targets_onto_the_same_indicators():
    strategy = StrategyFactory(title="Strategi 2028", end_year=2028)
    top = FocusAreaFactory(strategy=strategy)
    child = FocusAreaFactory(strategy=strategy, parent=top)
    goal = GoalFactory(focus_area=child)
    theme = ThemeFactory()
    goal.themes.add(theme)
    ActionFactory(focus_area=None, goal=goal, strategy=strategy, state=Action.State.DONE)
    target = GoalTargetFactory(goal=goal)
    MilestoneFactory(target=target, period=2026)
    IndicatorValueFactory(indicator=target.indicator, period=2023, value=1384)

    version = strategy_create_next_version(
        strategy=strategy,
        user=editor_of(strategy.owner),
        title="Strategi 2032",
        slug="strategi-2032",
        start_year=2028,
        end_year=2032,
    )

    assert version.status == Strategy.Status.DRAFT
    assert version.replaces == strategy
    assert strategy.newer_version == version
    new_goal = Goal.objects.get(strategy=version)
    assert new_goal.focus_area.parent.strategy == version
    assert list(new_goal.themes.all()) == [theme]
    assert new_goal.actions.get().state == Action.State.DONE
    new_target = GoalTarget.objects.get(goal=new_goal)
    assert new_target.indicator == target.indicator
    assert new_target.target_value == target.target_value
    assert [m.period for m in new_target.milestones.all()] == [2026]
    assert Indicator.objects.count() == 1
    assert [p.value for p in new_target.indicator.series] == [1384]


def test_a_strategy_with_a_newer_version_gets_no_second_one():
    strategy = StrategyFactory()
    user = editor_of(strategy.owner)
    strategy_create_next_version(strategy=strategy, user=user, title="Ny", slug="ny")

    with pytest.raises(ValidationError):
        strategy_create_next_version(strategy=strategy, user=user, title="Igen", slug="igen")


def test_only_the_owners_editors_may_create_the_next_version():
    strategy = StrategyFactory()
    outsider = editor_of(StrategyFactory().owner)

    with pytest.raises(PermissionDenied):
        strategy_create_next_version(strategy=strategy, user=outsider, title="Ny", slug="ny")

    assert not Strategy.objects.filter(slug="ny").exists()


def test_an_old_version_is_succeeded_only_once_the_new_one_is_published():
    strategy = StrategyFactory()
    version = strategy_create_next_version(
        strategy=strategy, user=editor_of(strategy.owner), title="Ny", slug="ny"
    )
    assert strategy.succeeded_by is None

    version.status = Strategy.Status.PUBLISHED
    version.save()

    strategy.refresh_from_db()
    assert strategy.succeeded_by == version


def test_an_editor_of_heg_creates_strategi_2032_through_the_admin_and_the_2023_value_stays(
    client, seed
):
    heg = Organization.objects.get(slug="heg")
    old = Strategy.objects.get(owner=heg, slug="strategi-2028")
    client.force_login(editor_of(heg))

    change_page = client.get(reverse("admin:goals_strategy_change", args=[old.pk]))
    next_url = reverse("admin:goals_strategy_next_version", args=[old.pk])
    assert next_url in change_page.text
    response = client.post(
        next_url,
        {"title": "Strategi 2032", "slug": "strategi-2032", "start_year": 2028, "end_year": 2032},
    )

    new = Strategy.objects.get(owner=heg, slug="strategi-2032")
    assert response.status_code == 302
    assert response.url == reverse("admin:goals_strategy_change", args=[new.pk])
    target = GoalTarget.objects.get(goal__strategy=new, indicator__slug="arselever")
    assert target.target_value == 1800
    preview = client.get(target.get_absolute_url())
    assert "1.384" in preview.text

    new.status = Strategy.Status.PUBLISHED
    new.save()
    client.logout()
    public = client.get(target.get_absolute_url())
    assert public.status_code == 200
    assert "1.384" in public.text
    old_page = client.get(old.get_absolute_url())
    assert old_page.status_code == 200
    assert new.get_absolute_url() in old_page.text
    assert IndicatorValue.objects.filter(indicator__slug="arselever", period=2023).count() == 1


def test_the_next_version_form_refuses_an_address_in_use_and_keeps_what_was_typed(client):
    strategy = StrategyFactory(slug="strategi-2028")
    client.force_login(editor_of(strategy.owner))

    response = client.post(
        reverse("admin:goals_strategy_next_version", args=[strategy.pk]),
        {"title": "Strategi 2032", "slug": "strategi-2028"},
    )

    assert response.status_code == 200
    assert "allerede en strategi med denne adresse" in response.text
    assert 'value="Strategi 2032"' in response.text
    assert Strategy.objects.count() == 1


def test_another_organizations_editor_cannot_open_the_next_version_form(client):
    strategy = StrategyFactory()
    client.force_login(editor_of(StrategyFactory().owner))

    url = reverse("admin:goals_strategy_next_version", args=[strategy.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "X", "slug": "x"}).status_code == 403
    assert Strategy.objects.count() == 2


def test_a_user_without_a_role_is_sent_to_log_in(client):
    strategy = StrategyFactory()
    client.force_login(UserFactory())

    response = client.get(reverse("admin:goals_strategy_next_version", args=[strategy.pk]))

    assert response.status_code in (302, 403)


def test_the_next_version_gets_an_address_from_its_title_when_none_is_typed(client):
    strategy = StrategyFactory(slug="strategi-2032", title="Strategi 2028")
    client.force_login(editor_of(strategy.owner))

    client.post(
        reverse("admin:goals_strategy_next_version", args=[strategy.pk]),
        {"title": "Strategi 2032", "slug": ""},
    )

    assert Strategy.objects.get(replaces=strategy).slug == "strategi-2032-2"


def test_the_next_version_of_an_archived_strategy_is_a_new_draft_not_archived():
    strategy = StrategyFactory()
    user = editor_of(strategy.owner)
    Strategy.objects.filter(pk=strategy.pk).update(
        archived_at="2026-01-01T00:00Z", archived_by=user
    )

    version = strategy_create_next_version(strategy=strategy, user=user, title="Ny", slug="ny")

    assert (version.archived_at, version.archived_by) == (None, None)
    assert version.status == Strategy.Status.DRAFT
