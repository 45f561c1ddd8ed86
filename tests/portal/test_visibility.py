"""One publication rule (goals.models.VisibleQuerySet): a draft at any level, and a value not
yet approved, never reaches a visitor, on any page or download, in any language. Each
sentinel's text is planted in the seed and every public page reachable from the front page is
crawled, with Danish, Swedish and English addresses; the organization's own editor, who may
preview drafts, proves the sentinels are there to be found."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from goals.models import Goal, Strategy, Theme, WorkingModel
from indicators.models import GoalTarget, IndicatorValue
from municipalities.models import Membership, Organization
from tests.factories import (
    ActionFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
    WorkingModelFactory,
)
from tests.portal.test_pages import crawl

pytestmark = pytest.mark.django_db

DRAFT = Strategy.Status.DRAFT
# Every sentinel's text holds this word; the unapproved value is a number no seed text holds.
SECRET = "Hemmeligholdt"
UNAPPROVED = Decimal("4321")
LANGUAGES = ("", "/sv", "/en")


@pytest.fixture
def sentinels(seed):
    """A draft at every level, in HEG's published strategy and beside it: a draft strategy
    (with a goal, a target on a series of its own and a working model described in it), a
    draft goal with a target and an action, a draft target of a published goal, a draft
    working model, a theme that only the draft goal carries, and a value awaiting review on a
    public series."""
    heg = Organization.objects.get(slug="heg")
    strategy = Strategy.objects.get(owner=heg, slug="strategi-2028")
    published_goal = Goal.objects.public().filter(strategy=strategy).first()

    draft_strategy = GoalTargetFactory(
        goal__focus_area__strategy__owner=heg,
        goal__focus_area__strategy__title=f"{SECRET} strategi",
        goal__focus_area__strategy__status=DRAFT,
        goal__focus_area__title=f"{SECRET} fokusområde",
        goal__text=f"{SECRET} mål i en kladdestrategi",
        indicator__organization=heg,
        indicator__name=f"{SECRET} indikator i en kladdestrategi",
    ).goal.strategy
    WorkingModelFactory(
        organization=heg,
        theme=Theme.objects.filter(working_models__isnull=False).first(),
        name="En offentlig arbejdsmodel fra en kladde",
        document=draft_strategy,
    )

    draft_goal = GoalFactory(
        focus_area=published_goal.focus_area,
        strategy=strategy,
        text=f"{SECRET} kladdemål",
        status=DRAFT,
    )
    ThemeFactory(name=f"{SECRET} tema").goals.add(draft_goal)
    GoalTargetFactory(
        goal=draft_goal,
        indicator__organization=heg,
        indicator__name=f"{SECRET} kladdemålets indikator",
    )
    ActionFactory(
        focus_area=published_goal.focus_area,
        strategy=strategy,
        text=f"{SECRET} kladdehandling",
        status=DRAFT,
    )
    draft_target = GoalTargetFactory(
        goal=published_goal,
        indicator__organization=heg,
        indicator__name=f"{SECRET} kladdemålsætning",
        status=DRAFT,
    )
    WorkingModelFactory(
        organization=heg,
        theme=Theme.objects.filter(working_models__isnull=False).first(),
        name=f"{SECRET} arbejdsmodel",
        status=DRAFT,
    )
    public_target = GoalTarget.objects.public().filter(goal__strategy=strategy).first()
    for indicator in (draft_target.indicator, public_target.indicator):
        IndicatorValueFactory(
            indicator=indicator,
            organization=heg,
            period=2030,
            value=UNAPPROVED,
            status=IndicatorValue.Status.SUBMITTED,
            source=f"{SECRET} kilde",
        )
    return {"heg": heg, "draft_strategy": draft_strategy, "draft_goal": draft_goal}


def pages_of(client, start: str) -> dict[str, str]:
    """Every page and download reachable from `start`, and the searches for the sentinels'
    words, as {address: text}."""
    pages = {}
    crawl(client, start, visit=pages.__setitem__, downloads=True)
    for query in (SECRET, "4321"):
        address = f"{start}soeg/?q={query}"
        pages[address] = without_echo(client.get(address).text, query)
    return pages


def without_echo(text: str, query: str) -> str:
    """A search page without the words searched for, which it repeats to the reader."""
    return re.sub(rf'[»“”"]{query}[«”"]|q={query}', "", text)


def secrets_in(pages: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for address, text in pages.items():
        hits = re.findall(rf"{SECRET}[^<\"]{{0,40}}|\b4\.?321\b", text)
        if hits:
            found[address] = hits
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_page_or_download_shows_a_draft_or_an_unapproved_value(
    client, sentinels, language
):
    pages = pages_of(client, f"{language}/")

    assert len(pages) > 60, "the crawl should reach the whole seeded portal"
    assert any("/indikatorer/" in address for address in pages)
    assert any(address.endswith(".csv") for address in pages)
    assert secrets_in(pages) == {}


def test_editors_preview_their_own_drafts_and_no_other_organizations(client, sentinels):
    client.force_login(MembershipFactory(organization=sentinels["heg"]).user)

    found = secrets_in(pages_of(client, "/"))

    seen = " ".join(hit for hits in found.values() for hit in hits)
    for sentinel in ("strategi", "kladdemål", "kladdehandling", "kladdemålsætning", "tema"):
        assert f"{SECRET} {sentinel}" in seen
    assert f"{SECRET} arbejdsmodel" in seen
    # Values awaiting review are the admin's, not a preview's.
    assert "4321" not in seen
    assert "4.321" not in seen
    # An editor of another organization reads the same pages without any of it.
    herning = Organization.objects.get(slug="herning-kommune")
    client.force_login(MembershipFactory(organization=herning).user)
    pages = {address: client.get(address).text for address in found if "/soeg/" not in address}
    assert len(pages) > 5
    assert secrets_in(pages) == {}


def test_a_drafts_own_address_is_not_found_by_visitors(client, sentinels):
    draft_goal = sentinels["draft_goal"]
    addresses = [
        sentinels["draft_strategy"].get_absolute_url(),
        draft_goal.get_absolute_url(),
        Theme.objects.get(name=f"{SECRET} tema").get_absolute_url(),
        WorkingModel.objects.get(name=f"{SECRET} arbejdsmodel").get_absolute_url(),
        GoalTarget.objects.get(goal=draft_goal).get_absolute_url(),
        reverse(
            "portal:series",
            args=["heg", GoalTarget.objects.get(goal=draft_goal).indicator.slug],
        ),
    ]
    client.force_login(UserFactory())

    assert [client.get(address).status_code for address in addresses] == [404] * len(addresses)


def test_a_working_model_described_in_a_draft_does_not_name_the_draft(client, sentinels):
    model = WorkingModel.objects.get(name="En offentlig arbejdsmodel fra en kladde")

    page = client.get(model.get_absolute_url()).text

    assert "En offentlig arbejdsmodel fra en kladde" in page
    assert SECRET not in page
    client.force_login(
        MembershipFactory(organization=sentinels["heg"], role=Membership.Role.EDITOR).user
    )
    assert f"{SECRET} strategi" in client.get(model.get_absolute_url()).text
