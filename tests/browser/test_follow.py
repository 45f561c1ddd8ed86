"""A citizen follows a goal by e-mail, and does it again: the form on the goal page's "Følg",
the confirmation link from the e-mail, a digest's unsubscribe link, and back. The e-mails go
to the locmem backend (`mail.outbox`); the links in them name the live server
(PORTAL_URL)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from indicators.models import GoalTarget, Subscription
from strategyportal.follow.digests import SETTLE, send_digests
from tests.browser.conftest import check_accessibility, screenshots
from tests.follow.conftest import approved, editor_of

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "borger@example.dk"


@pytest.fixture
def goal_target(herning, settings, live_server):
    settings.PORTAL_URL = live_server.url
    # The limits per address and client count in the cache, which outlives a test.
    cache.clear()
    yield herning.targets.select_related("goal__strategy__owner").get()
    cache.clear()


def link_in(message, path: str) -> str:
    return re.search(r"(http://\S*" + re.escape(path) + r"\S*)", message.body)[1]


def subscribe_and_confirm(page, live_server, target: GoalTarget) -> None:
    page.goto(live_server.url + target.goal.get_absolute_url())
    page.get_by_role("link", name="Følg", exact=True).click()
    page.get_by_label("Din e-mailadresse").fill(ADDRESS)
    page.get_by_role("button", name="Følg").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tjek din e-mail"
    assert Subscription.objects.get().confirmed_at is None

    page.goto(link_in(mail.outbox[-1], "/foelg/bekraeft/"))
    page.get_by_role("button", name="Bekræft").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Du følger nu med"
    assert Subscription.objects.get().goal == target.goal


def unsubscribe_from_digest(page) -> None:
    page.goto(link_in(mail.outbox[-1], "/foelg/afmeld/"))
    assert Subscription.objects.exists()
    page.get_by_role("button", name="Afmeld").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Du er afmeldt"
    assert not Subscription.objects.exists()


def test_a_citizen_follows_a_goal_unsubscribes_and_follows_it_again(page, live_server, goal_target):
    editor = editor_of(goal_target.goal.strategy.owner)

    subscribe_and_confirm(page, live_server, goal_target)
    approved(goal_target, editor, period=2023, value=45)
    assert send_digests(now=timezone.now() + SETTLE) == 1
    assert "Nyt tal for Elever i 0. klasse: 45" in mail.outbox[-1].body.replace("\xa0", " ")
    unsubscribe_from_digest(page)

    # The journey is repeated: following again, the next digest holds only what is new.
    subscribe_and_confirm(page, live_server, goal_target)
    approved(goal_target, editor, period=2024, value=48)
    assert send_digests(now=timezone.now() + SETTLE) == 1
    digest = mail.outbox[-1].body.replace("\xa0", " ")
    assert "48 elever (2024)" in digest
    assert "(2023)" not in digest
    unsubscribe_from_digest(page)


def test_the_follow_page_is_accessible_and_fits_a_phone(page, live_server, goal_target):
    page.goto(live_server.url + goal_target.goal.get_absolute_url() + "foelg/")

    assert check_accessibility(page) == []
    screenshots(page, "follow-goal")
