"""The Atom feeds of an organization, a strategy and a goal: valid Atom (RFC 4287, checked
against the RFC's own RELAX NG schema, tests/follow/atom.rnc, and its Schematron rules), what
each entry says, and that nothing a citizen may not read is ever in one."""

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import rnc2rng
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from goals.models import Goal, StrategyStatus
from indicators.models import IndicatorValue, Metric, Update
from tests.factories import (
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    MetricFactory,
    StrategyFactory,
)
from tests.follow.conftest import approved, changed_target, editor_of

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


@cache
def atom_schema() -> etree.RelaxNG:
    rng = rnc2rng.dumps(rnc2rng.loads((Path(__file__).parent / "atom.rnc").read_text()))
    # rnc2rng declares the schema's `local` namespace as xmlns:local="", which XML 1.0 does
    # not allow; nothing in the converted schema refers to the prefix.
    rng = rng.replace(' xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(rng.encode()))


def assert_valid_atom(content: bytes) -> etree._Element:
    feed = etree.fromstring(content)
    schema = atom_schema()
    assert schema.validate(feed), schema.error_log
    # The schema's Schematron rules, which RELAX NG leaves to another validator.
    assert feed.xpath("boolean(atom:author) or not(atom:entry[not(atom:author)])", namespaces=ATOM)
    for entry in feed.xpath("atom:entry", namespaces=ATOM):
        assert entry.xpath(
            "boolean(atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content)",
            namespaces=ATOM,
        )
        assert entry.xpath(
            "boolean(atom:author or ../atom:author or atom:source/atom:author)", namespaces=ATOM
        )
    return feed


def feed_urls(followed, prefix: str = "") -> dict[str, str]:
    strategy, goal = followed.strategy, followed.goal
    return {
        "organization": prefix + reverse("portal:organization_feed", args=[strategy.owner.slug]),
        "strategy": prefix
        + reverse("portal:strategy_feed", args=[strategy.owner.slug, strategy.slug]),
        "goal": prefix
        + reverse("portal:goal_feed", args=[strategy.owner.slug, strategy.slug, goal.slug]),
    }


def every_kind_of_event(followed) -> None:
    approved(followed.target, followed.editor, period=2023, value=1384)
    approved(followed.target, followed.editor, period=2024, value=1500)  # and a verdict
    changed_target(followed.target, value=1900, reason="Bestyrelsen hævede målet")


def entries(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = assert_valid_atom(response.content)
    return [
        {
            "title": entry.findtext("atom:title", namespaces=ATOM),
            "summary": entry.findtext("atom:summary", namespaces=ATOM),
            "link": entry.find("atom:link", namespaces=ATOM).get("href"),
            "id": entry.findtext("atom:id", namespaces=ATOM),
        }
        for entry in feed.xpath("atom:entry", namespaces=ATOM)
    ]


def value_entries(client, url) -> list[dict]:
    return [entry for entry in entries(client, url) if entry["title"].startswith("Nyt tal")]


@pytest.mark.parametrize("kind", ["organization", "strategy", "goal"])
def test_each_feed_is_valid_atom_with_and_without_entries(client, followed, kind):
    url = feed_urls(followed)[kind]
    assert entries(client, url) == []

    every_kind_of_event(followed)

    assert len(entries(client, url)) == 4


def test_the_schema_refuses_a_feed_that_is_not_atom(client, followed):
    content = client.get(feed_urls(followed)["goal"]).content.replace(b"<id>", b"<idx>")
    content = content.replace(b"</id>", b"</idx>")

    assert not atom_schema().validate(etree.fromstring(content))


def test_an_approved_value_is_an_entry_linking_to_its_target_page(client, followed):
    approved(followed.target, followed.editor, period=2024, value=1500)

    [entry] = value_entries(client, feed_urls(followed)["goal"])

    assert entry["title"] == f"Nyt tal for {followed.target.name}: 1.500\xa0årselever (2024)"
    assert entry["link"] == "http://testserver" + followed.target.get_absolute_url()
    assert "Flere årselever" in entry["summary"]
    assert entry["id"].startswith("tag:testserver,2026:update-")


def test_a_changed_verdict_and_a_changed_target_are_entries(client, followed):
    every_kind_of_event(followed)

    titles = [entry["title"] for entry in entries(client, feed_urls(followed)["strategy"])]

    name = followed.target.name
    assert titles[0] == (
        f"{name}: målet blev ændret fra mindst 1.800\xa0årselever i 2028 "
        "til mindst 1.900\xa0årselever i 2028"
    )
    assert f"{name}: nu »På rette vej« (før »For få tal«)" in titles
    summaries = [entry["summary"] for entry in entries(client, feed_urls(followed)["strategy"])]
    assert "Begrundelse: Bestyrelsen hævede målet" in summaries[0]


def test_a_feed_follows_the_language_of_its_address(client, followed):
    approved(followed.target, followed.editor, period=2024, value=1500)
    page = followed.target.get_absolute_url()

    response = client.get(
        feed_urls(followed, prefix="")["goal"].replace("/strategier/", "/en/strategier/", 1)
    )

    feed = assert_valid_atom(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    link = feed.find("atom:entry/atom:link", namespaces=ATOM).get("href")
    assert link == "http://testserver/en" + page
    assert any(
        "1,500" in title for title in feed.xpath("atom:entry/atom:title/text()", namespaces=ATOM)
    )


def test_drafts_and_unpublished_things_of_others_are_never_in_a_feed(client, followed):
    goal = followed.goal
    draft_target = GoalTargetFactory(goal=goal, status=StrategyStatus.DRAFT)
    draft_goal = GoalFactory(strategy=followed.strategy, status=StrategyStatus.DRAFT)
    target_of_draft_goal = GoalTargetFactory(goal=draft_goal)
    other_draft = StrategyFactory(status=StrategyStatus.DRAFT)
    target_of_other_draft = GoalTargetFactory(goal__strategy=other_draft, goal__focus_area=None)
    hidden = [draft_target, target_of_draft_goal, target_of_other_draft]
    for target in hidden:
        editor = editor_of(target.goal.strategy.owner)
        approved(target, editor, period=2023, value=1384)
        approved(target, editor, period=2024, value=1500)
    target_of_draft_goal.target_value = Decimal(1900)
    target_of_draft_goal.save()
    # Their values are in the log; a verdict's or a target's change is recorded only for what
    # is public at the time.
    assert set(Update.objects.filter(target__in=hidden).values_list("kind", flat=True)) == {
        Update.Kind.VALUE_APPROVED,
    }
    every_kind_of_event(followed)

    for url in feed_urls(followed).values():
        text = client.get(url).text
        assert followed.target.name in text
        for target in hidden:
            assert target.name not in text
    other_feed = reverse("portal:organization_feed", args=[other_draft.owner.slug])
    assert entries(client, other_feed) == []
    draft_feed = reverse("portal:strategy_feed", args=[other_draft.owner.slug, other_draft.slug])
    assert client.get(draft_feed).status_code == 404


def test_a_value_no_longer_approved_leaves_the_feed(client, followed):
    value = approved(followed.target, followed.editor, period=2024, value=1500)
    value.status = IndicatorValue.Status.SUBMITTED
    value.save()

    assert Update.objects.filter(value=value).exists()
    assert value_entries(client, feed_urls(followed)["goal"]) == []


def test_a_count_of_fewer_than_five_pupils_is_never_in_a_feed(client, followed):
    metric = MetricFactory(
        unit="elever", measure=Metric.Measure.COUNT, decimals=0, counts_pupils=True
    )
    indicator = IndicatorFactory(
        organization=followed.organization, metric=metric, name="Elever i klassen"
    )
    target = GoalTargetFactory(
        goal=followed.goal,
        indicator=indicator,
        baseline_value=Decimal(8),
        target_value=Decimal(20),
    )
    approved(target, followed.editor, period=2024, value=3)

    [entry] = value_entries(client, feed_urls(followed)["goal"])

    assert entry["title"] == "Nyt tal for Elever i klassen: færre end 5\xa0elever (2024)"
    assert "3\xa0elever" not in client.get(feed_urls(followed)["goal"]).text


def build_events(followed, periods: range) -> None:
    for period in periods:
        approved(followed.target, followed.editor, period=period, value=1384 + 80 * (period - 2023))
    changed_target(followed.target, value=1900 + len(periods))


@pytest.mark.parametrize("kind", ["organization", "strategy", "goal"])
def test_a_feed_runs_as_many_queries_with_many_entries_as_with_one(client, followed, kind):
    url = feed_urls(followed)[kind]
    build_events(followed, range(2023, 2024))
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    build_events(followed, range(2024, 2027))
    assert Update.objects.count() > 6
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


@pytest.mark.parametrize("page", ["organization", "strategy", "goal"])
def test_the_pages_announce_their_feed_and_link_to_following(client, followed, page):
    strategy, goal = followed.strategy, followed.goal
    owner = strategy.owner.slug
    address = {
        "organization": reverse("portal:organization", args=[owner]),
        "strategy": strategy.get_absolute_url(),
        "goal": goal.get_absolute_url(),
    }[page]
    follow = {
        "organization": reverse("portal:follow_organization", args=[owner]),
        "strategy": reverse("portal:follow_strategy", args=[owner, strategy.slug]),
        "goal": reverse("portal:follow_goal", args=[owner, strategy.slug, goal.slug]),
    }[page]

    text = client.get(address).text

    assert (
        f'<link rel="alternate" type="application/atom+xml" href="{feed_urls(followed)[page]}"'
        in text
    )
    assert f'<a href="{follow}">Følg</a>' in text


def test_a_goal_ending_with_a_full_stop_gets_one_in_an_entry(client, followed):
    Goal.objects.filter(pk=followed.goal.pk).update(text="Flere årselever, der har behov.")
    approved(followed.target, followed.editor, period=2024, value=1500)

    [entry] = value_entries(client, feed_urls(followed)["goal"])

    assert entry["summary"].startswith("Mål: Flere årselever, der har behov. Strategi: ")
