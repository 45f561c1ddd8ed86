"""A goal, action or target added to a published strategy starts as a draft: the public never
sees it, anywhere, while its editors preview it marked as a draft; publishing it shows it."""

import re

import pytest
from django.urls import reverse

from goals.models import Goal, Strategy
from indicators.models import GoalTarget
from municipalities.models import Membership
from tests.factories import (
    ActionFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
DRAFT = Strategy.Status.DRAFT


@pytest.fixture
def drafts():
    """A published strategy with a published goal and target, and drafts beside them: a goal
    with its target, a target of the published goal, and an action."""
    published = GoalTargetFactory(goal__text="Et offentligt mål")
    strategy = published.goal.strategy
    theme = ThemeFactory(name="Fælles tema")
    draft_goal = GoalFactory(focus_area__strategy=strategy, text="Et halvskrevet mål", status=DRAFT)
    draft_goal.themes.add(theme)
    published.goal.themes.add(theme)
    draft_goal_target = GoalTargetFactory(goal=draft_goal, indicator__name="Kladdemålets tal")
    draft_target = GoalTargetFactory(
        goal=published.goal,
        indicator__organization=strategy.owner,
        indicator__name="En halvskreven målsætning",
        status=DRAFT,
    )
    for target in (published, draft_goal_target, draft_target):
        IndicatorValueFactory(indicator=target.indicator, organization=strategy.owner)
    ActionFactory(
        focus_area=published.goal.focus_area,
        strategy=strategy,
        text="En kladdehandling",
        status=DRAFT,
    )
    return {
        "strategy": strategy,
        "published": published,
        "goal": draft_goal,
        "goal_target": draft_goal_target,
        "target": draft_target,
        "theme": theme,
    }


HIDDEN = (
    "Et halvskrevet mål",
    "Kladdemålets tal",
    "En halvskreven målsætning",
    "En kladdehandling",
)


def public_pages(drafts) -> list[str]:
    strategy = drafts["strategy"]
    return [
        reverse("portal:front"),
        reverse("portal:strategies"),
        strategy.get_absolute_url(),
        drafts["published"].goal.get_absolute_url(),
        drafts["published"].get_absolute_url(),
        strategy.owner.get_absolute_url(),
        reverse("portal:theme", args=[drafts["theme"].slug]),
        reverse("portal:search") + "?q=halvskrev",
        reverse("portal:themes"),
    ]


def test_no_public_page_shows_a_draft_goal_target_or_action(client, drafts):
    assert Goal.objects.filter(status=DRAFT).exists()
    assert GoalTarget.objects.filter(status=DRAFT).exists()

    for url in public_pages(drafts):
        page = client.get(url).text
        for text in HIDDEN:
            assert text not in page, (url, text)
    assert "Et offentligt mål" in client.get(drafts["strategy"].get_absolute_url()).text


def test_the_pages_of_drafts_are_not_found_by_the_public(client, drafts):
    for url in (
        drafts["goal"].get_absolute_url(),
        drafts["goal_target"].get_absolute_url(),
        drafts["target"].get_absolute_url(),
        drafts["goal_target"].indicator.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404, url


def test_a_draft_counts_in_no_public_roll_up(client, drafts):
    page = client.get(reverse("portal:strategies")).text
    card = " ".join(re.sub("<[^>]+>", " ", page[page.index(drafts["strategy"].title) :]).split())

    # The one public goal and its one public target; the drafts are not counted.
    assert "1 mål" in card
    assert "1 målsætning: 1 er på rette vej" in card


def test_its_editors_preview_drafts_marked_as_such(client, drafts):
    editor = UserFactory(username="redaktoer")
    MembershipFactory(
        user=editor, organization=drafts["strategy"].owner, role=Membership.Role.EDITOR
    )
    client.force_login(editor)

    page = client.get(drafts["strategy"].get_absolute_url()).text
    assert "Et halvskrevet mål" in page
    assert "En kladdehandling" in page
    # The draft goal, the draft target and the draft action (the draft goal's target is
    # hidden by its goal, not marked itself).
    assert page.count("Kladde, kun for redaktører") == 3
    goal_page = client.get(drafts["goal"].get_absolute_url()).text
    assert "Kladde – ikke offentliggjort" in goal_page
    target_page = client.get(drafts["target"].get_absolute_url()).text
    assert "Kladde – ikke offentliggjort" in target_page


def test_lists_away_from_the_strategy_mark_a_target_hidden_by_its_draft_goal(client, drafts):
    client.force_login(MembershipFactory(organization=drafts["strategy"].owner).user)

    organization = client.get(drafts["strategy"].owner.get_absolute_url()).text
    found = client.get(reverse("portal:search"), {"q": "Kladdemålets"}).text

    card = organization[organization.index("Kladdemålets tal") :][:600]
    assert "Kladde, kun for redaktører" in card
    assert "Kladde, kun for redaktører" in found[found.index("Kladdemålets") :]


def test_publishing_a_draft_goal_shows_it(client, drafts):
    goal = drafts["goal"]
    goal.status = Strategy.Status.PUBLISHED
    goal.save()

    assert client.get(goal.get_absolute_url()).status_code == 200
    assert "Kladdemålets tal" in client.get(drafts["strategy"].get_absolute_url()).text


def test_a_goal_added_in_the_admin_to_a_published_strategy_starts_as_a_draft(client, drafts):
    editor = UserFactory(username="redaktoer", is_staff=True)
    MembershipFactory(
        user=editor, organization=drafts["strategy"].owner, role=Membership.Role.EDITOR
    )
    client.force_login(editor)
    strategy = drafts["strategy"]

    page = client.get(reverse("admin:goals_goal_add"), {"strategy": strategy.pk}).text

    assert '<option value="draft" selected>' in page


def test_a_goal_added_to_a_draft_strategy_starts_published_with_it(client, drafts):
    strategy = drafts["strategy"]
    strategy.status = DRAFT
    strategy.save()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:goals_goal_add"), {"strategy": strategy.pk}).text

    assert '<option value="published" selected>' in page


def test_editors_publish_drafts_from_the_list(client, drafts):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    client.post(
        reverse("admin:goals_goal_changelist"),
        {"action": "publish_parts", "_selected_action": [drafts["goal"].pk]},
    )

    drafts["goal"].refresh_from_db()
    assert drafts["goal"].status == Strategy.Status.PUBLISHED
    assert drafts["goal"].history.first().status == Strategy.Status.PUBLISHED
