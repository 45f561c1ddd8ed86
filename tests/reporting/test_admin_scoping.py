"""The admin for editors: their organizations' objects, and nothing else."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from goals.models import Goal, Strategy
from municipalities.models import Membership
from municipalities.services import membership_grant
from tests.factories import UserFactory
from tests.reporting.conftest import goal_form


def test_an_editor_lists_only_their_organizations_goals(world, login):
    page = login(world.users["editor at Herning"]).get(reverse("admin:goals_goal_changelist")).text

    assert "Herning-mål" in page
    assert "Hillerød-mål" not in page


def test_an_editor_cannot_create_a_strategy_for_another_organization(world, login):
    client = login(world.users["editor at Herning"])

    response = client.post(
        reverse("admin:goals_strategy_add"),
        {
            "owner": world.hillerod.pk,
            "title": "Kuppet",
            "slug": "kuppet",
            "status": "draft",
            "language": "da",
            "source_title": "X",
        },
    )

    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert not Strategy.objects.filter(slug="kuppet").exists()


def test_the_owner_choices_are_the_editors_organizations_and_their_schools(world, login):
    page = login(world.users["editor at Herning"]).get(reverse("admin:goals_strategy_add")).text

    assert "Herning Kommune" in page
    assert "Skole A" in page
    assert "Hillerød Kommune" not in page


def test_an_editor_publishes_and_unpublishes_their_strategies(world, login):
    client = login(world.users["editor at Herning"])

    client.post(
        reverse("admin:goals_strategy_changelist"),
        {"action": "publish", "_selected_action": [world.draft.pk]},
    )

    world.draft.refresh_from_db()
    assert world.draft.is_published


def test_every_change_is_in_the_history_with_who_made_it(world, login):
    client = login(world.users["editor at Herning"])
    goal = world.herning_goal

    client.post(
        reverse("admin:goals_goal_change", args=[goal.pk]),
        goal_form(goal, order=1, text="Nyt mål"),
    )

    latest = Goal.history.filter(id=goal.pk).latest("history_date")
    assert latest.text == "Nyt mål"
    assert latest.history_user == world.users["editor at Herning"]
    page = client.get(reverse("admin:goals_goal_history", args=[goal.pk])).text
    assert "Nyt mål" in page or "editor_herning" in page


def test_a_change_can_be_reverted_from_the_history(world, login):
    client = login(world.users["editor at Herning"])
    goal = world.herning_goal
    original = Goal.history.filter(id=goal.pk).earliest("history_date")
    goal.text = "Forkert"
    goal.save()

    response = client.post(
        reverse("admin:goals_goal_simple_history", args=[goal.pk, original.history_id]),
        goal_form(goal, text=original.text),
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.text == "Herning-mål"


def test_the_admin_links_to_the_public_page(world, login):
    client = login(world.users["editor at Herning"])
    page = client.get(reverse("admin:goals_strategy_change", args=[world.draft.pk])).text
    content_type = ContentType.objects.get_for_model(Strategy)
    view_on_site = reverse("admin:view_on_site", args=[content_type.pk, world.draft.pk])

    assert view_on_site in page
    assert client.get(view_on_site)["Location"].endswith(world.draft.get_absolute_url())


def test_granting_an_editor_role_lets_the_user_into_the_admin(world):
    user = UserFactory()

    membership_grant(user=user, organization=world.herning, role=Membership.Role.EDITOR)

    user.refresh_from_db()
    assert user.is_staff


@pytest.mark.django_db
def test_a_herning_editor_may_edit_the_seed_and_a_hillerod_editor_may_not(client, seed):
    from municipalities.models import Organization

    herning_goal = Goal.objects.filter(strategy__owner__slug="herning-kommune").first()
    url = reverse("admin:goals_goal_change", args=[herning_goal.pk])
    for slug, expected in [("herning-kommune", 200), ("hillerod-kommune", 403)]:
        user = UserFactory(username=f"editor-{slug}")
        membership_grant(user=user, organization=Organization.objects.get(slug=slug), role="editor")
        client.force_login(user)
        assert client.get(url).status_code == expected


def test_an_editor_previews_a_draft_marked_as_a_draft(world, login):
    page = login(world.users["editor at Herning"]).get(world.draft.get_absolute_url()).text

    assert "Kladde – ikke offentliggjort" in page
    assert "Hemmeligt udkast" in page


def test_an_editors_organization_filters_list_only_their_own(world, login):
    client = login(world.users["editor at Herning"])
    assert world.hillerod_goal.strategy.owner == world.hillerod

    for url in (
        reverse("admin:goals_goal_changelist"),
        reverse("admin:indicators_indicator_changelist"),
        reverse("admin:indicators_indicatorvalue_changelist"),
    ):
        page = client.get(url).text
        assert "Hillerød Kommune" not in page, url
    assert "Herning Kommune" in client.get(reverse("admin:goals_goal_changelist")).text
