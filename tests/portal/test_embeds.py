"""Progress cards for other websites (strategyportal/embeds.py): what a card shows, who may
frame it, the iframe code on the target page and the oEmbed endpoint."""

import re
from decimal import Decimal
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Strategy
from indicators.charts import build_sparkline
from indicators.models import GoalTarget, Metric
from indicators.progress import Direction, Point, Target
from municipalities.models import Organization
from tests.factories import GoalTargetFactory, IndicatorValueFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

HEG_TARGET = "/strategier/heg/strategi-2028/maal/aktivitet-1800-arselever/arselever/"


def card_url(target: GoalTarget) -> str:
    strategy = target.goal.strategy
    return reverse(
        "portal:target_card_embed",
        args=[strategy.owner.slug, strategy.slug, target.goal.slug, target.indicator.slug],
    )


def text_of(html: str) -> str:
    """The page's words without tags, with runs of white space as one space."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split("; ") if part.startswith("frame-ancestors"))


@pytest.fixture
def page_cache(settings):
    """Pages cached as in production, in an empty cache."""
    settings.CACHE_PAGE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def target(db):
    """HEG's shape: at least 1.800 årselever in 2028, with values for 2023 and 2024."""
    target = GoalTargetFactory(indicator__name="Årselever")
    IndicatorValueFactory(indicator=target.indicator, period=2023, value=Decimal(1384))
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=Decimal(1450))
    return target


def test_the_card_shows_the_status_latest_value_target_and_sparkline_of_the_target_page(
    client, seed
):
    target = GoalTarget.objects.with_progress().get(
        goal__slug="aktivitet-1800-arselever", indicator__slug="arselever"
    )
    page = client.get(HEG_TARGET).text
    card = client.get(HEG_TARGET + "kort/")

    assert card.status_code == 200
    text = text_of(card.text)
    status = text_of(re.search(r'portal-indicator__status">(.*?)</p>', page, re.S).group(1))
    assert status in text
    assert "HEG" in text
    assert "Seneste tal: 1.384 årselever i 2023" in text
    assert "Mål: Mindst 1.800 årselever i 2028" in text
    # The same figures as the target page's facts.
    assert "Mindst 1.800 årselever i 2028" in text_of(page)
    assert "1.384" in text_of(page)
    assert target.assessment.latest == Point(2023, 1384.0)
    assert 'class="embed-sparkline"' in card.text
    assert f'href="{HEG_TARGET}" target="_top"' in card.text
    assert "(åbner i hele vinduet)" in text


def test_every_published_seed_target_has_a_card(client, seed):
    targets = GoalTarget.objects.public().select_related("goal__strategy__owner", "indicator")

    assert targets
    for target in targets:
        response = client.get(card_url(target))
        assert response.status_code == 200, card_url(target)
        assert target.goal.strategy.owner.name in unescape(response.text)


def test_a_draft_target_or_goal_or_strategy_has_no_card(client, target, django_user_model):
    url = card_url(target)
    assert client.get(url).status_code == 200
    target.status = Strategy.Status.DRAFT
    target.save()
    assert client.get(url).status_code == 404
    target.status = Strategy.Status.PUBLISHED
    target.save()
    target.goal.strategy.status = Strategy.Status.DRAFT
    target.goal.strategy.save()
    assert client.get(url).status_code == 404


def test_an_editor_of_the_draft_gets_no_card_either(client, target):
    """A card is shown on other websites: an editor's login must not put a draft there."""
    from tests.factories import MembershipFactory, UserFactory

    target.status = Strategy.Status.DRAFT
    target.save()
    editor = UserFactory(is_staff=True)
    MembershipFactory(user=editor, organization=target.goal.strategy.owner)
    client.force_login(editor)

    assert client.get(target.get_absolute_url()).status_code == 200
    assert client.get(card_url(target)).status_code == 404


def test_an_unknown_target_has_no_card(client, target):
    assert (
        client.get(card_url(target).replace(target.indicator.slug, "findes-ikke")).status_code
        == 404
    )


def test_a_count_of_too_few_pupils_stays_hidden_on_the_card(client, db):
    target = GoalTargetFactory(
        indicator__metric__counts_pupils=True,
        indicator__metric__unit="elever",
        indicator__metric__measure=Metric.Measure.COUNT,
        baseline_value=Decimal(10),
        target_value=Decimal(20),
    )
    IndicatorValueFactory(indicator=target.indicator, period=2023, value=Decimal(12))
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=Decimal(3))

    text = text_of(client.get(card_url(target)).text)

    assert "færre end 5 elever" in text
    assert " 3 elever" not in text
    # The sparkline's text and line leave it out as the target page's chart does.
    assert "2023 12 elever" in text
    assert "2024" not in text.split("Godkendte tal:")[1].split("Seneste")[0]


def test_a_target_without_values_says_so_and_draws_nothing(client, db):
    target = GoalTargetFactory()

    response = client.get(card_url(target))

    assert "Ingen godkendte tal endnu" in response.text
    assert "embed-sparkline" not in response.text


def test_illustrative_values_are_marked_on_the_card(client, target):
    IndicatorValueFactory(indicator=target.indicator, period=2025, is_illustrative=True)

    assert "Illustrative tal" in client.get(card_url(target)).text


def test_the_card_is_in_the_language_of_its_address_and_its_content_in_its_own(client, target):
    target.goal.strategy.language = "sv"
    target.goal.strategy.save()

    danish = client.get(card_url(target)).text
    swedish = client.get("/sv" + card_url(target)).text

    assert '<html lang="da">' in danish
    assert '<html lang="sv">' in swedish
    assert '<h1 class="embed-card__name" lang="sv">Årselever</h1>' in swedish
    # The reader's language writes the numbers: 1.450 in Danish, 1 450 in Swedish.
    assert "1.450" in danish
    assert "1\xa0450" in swedish
    assert 'href="/sv/strategier/' in swedish


def test_only_the_portal_and_the_organizations_websites_may_frame_its_cards(client, target):
    owner = target.goal.strategy.owner
    owner.embed_origins = "https://www.herning.dk\nhttps://*.herning.dk"
    owner.save()
    other = GoalTargetFactory()
    other_owner = other.goal.strategy.owner
    other_owner.embed_origins = "https://skole.example.se"
    other_owner.save()

    card = client.get(card_url(target))
    other_card = client.get(card_url(other))

    assert frame_ancestors(card) == (
        "frame-ancestors 'self' https://www.herning.dk https://*.herning.dk"
    )
    assert frame_ancestors(other_card) == "frame-ancestors 'self' https://skole.example.se"
    assert "X-Frame-Options" not in card
    # The rest of the policy is the portal's.
    assert "script-src 'self'" in card["Content-Security-Policy"]
    assert "style-src 'self'" in card["Content-Security-Policy"]


def test_an_organization_that_lists_no_website_lets_only_the_portal_frame_its_cards(client, target):
    assert frame_ancestors(client.get(card_url(target))) == "frame-ancestors 'self'"


def test_an_origin_written_past_the_admins_check_adds_nothing_to_the_policy(client, target):
    Organization.objects.filter(pk=target.goal.strategy.owner_id).update(
        embed_origins="https://www.herning.dk; script-src *\nhttps://ok.example.dk"
    )

    response = client.get(card_url(target))

    assert frame_ancestors(response) == "frame-ancestors 'self' https://ok.example.dk"
    assert "script-src *" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_every_other_page_may_be_framed_by_nobody(client, target):
    for url in [
        target.get_absolute_url(),
        reverse("portal:front"),
        "/sv" + target.get_absolute_url(),
    ]:
        response = client.get(url)
        assert frame_ancestors(response) == "frame-ancestors 'none'", url
        assert response["X-Frame-Options"] == "DENY", url


def test_a_card_from_the_page_cache_keeps_its_organizations_policy(
    client, target, page_cache, django_assert_num_queries, django_capture_on_commit_callbacks
):
    owner = target.goal.strategy.owner
    owner.embed_origins = "https://www.herning.dk"
    owner.save()
    other = GoalTargetFactory()
    other_owner = other.goal.strategy.owner
    other_owner.embed_origins = "https://skole.example.se"
    other_owner.save()
    page = target.get_absolute_url()

    first = client.get(card_url(target))
    first_other = client.get(card_url(other))
    client.get(page)
    with django_assert_num_queries(0):
        second = client.get(card_url(target))
        second_other = client.get(card_url(other))
        second_page = client.get(page)

    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert frame_ancestors(second) == "frame-ancestors 'self' https://www.herning.dk"
    assert frame_ancestors(second_other) == frame_ancestors(first_other)
    assert frame_ancestors(second_other) == "frame-ancestors 'self' https://skole.example.se"
    assert "X-Frame-Options" not in second
    assert frame_ancestors(second_page) == "frame-ancestors 'none'"
    assert second_page["X-Frame-Options"] == "DENY"

    # A website added in the admin counts from the next request.
    with django_capture_on_commit_callbacks(execute=True):
        owner.embed_origins = "https://www.herning.dk\nhttps://intra.herning.dk"
        owner.save()
    assert frame_ancestors(client.get(card_url(target))) == (
        "frame-ancestors 'self' https://www.herning.dk https://intra.herning.dk"
    )


@pytest.mark.parametrize("cached", [True, False])
def test_a_revisit_answered_304_leaves_the_browser_the_cards_own_policy(
    client, target, settings, cached
):
    """A browser replaces a stored header by the one a 304 carries: the 304 carries none, not
    the default frame-ancestors 'none', from the page cache or from the view."""
    settings.CACHE_PAGE_SECONDS = 600 if cached else 0
    cache.clear()
    owner = target.goal.strategy.owner
    owner.embed_origins = "https://www.herning.dk"
    owner.save()
    url = card_url(target)

    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    revisit = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": first["ETag"]})
    page = client.get(target.get_absolute_url())
    page_revisit = client.get(target.get_absolute_url(), headers={"If-None-Match": page["ETag"]})
    cache.clear()

    assert frame_ancestors(first) == "frame-ancestors 'self' https://www.herning.dk"
    assert revisit.status_code == 304
    assert "Content-Security-Policy" not in revisit
    assert "X-Frame-Options" not in revisit
    assert page_revisit.status_code == 304
    assert "Content-Security-Policy" not in page_revisit


def card_queries(client, target) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(card_url(target)).status_code == 200
    return len(queries)


def test_a_card_runs_as_many_queries_with_many_values_as_with_one(client, db):
    few = GoalTargetFactory()
    IndicatorValueFactory(indicator=few.indicator, period=2023)
    many = GoalTargetFactory()
    for period in range(2010, 2025):
        IndicatorValueFactory(indicator=many.indicator, period=period)
    for period in (2025, 2026, 2027):
        MilestoneFactory(target=many, period=period)

    # The target with its strategy, owner and indicator; its approved values, reporting
    # organizations and milestones.
    assert card_queries(client, few) == card_queries(client, many) == 4


def test_the_target_page_offers_the_iframe_code_and_says_which_websites_may_show_it(client, target):
    owner = target.goal.strategy.owner
    response = client.get(target.get_absolute_url())
    text = unescape(response.text)

    assert "Vis kortet på jeres hjemmeside" in text
    code = re.search(r'<textarea[^>]*id="embed-code"[^>]*>(.*?)</textarea>', response.text, re.S)
    iframe = unescape(code.group(1))
    assert iframe.startswith(f'<iframe src="http://testserver{card_url(target)}"')
    assert 'width="300" height="200"' in iframe
    assert 'title="Fremdrift: Årselever, ' in iframe
    assert 'loading="lazy"' in iframe
    assert "har endnu ikke angivet hjemmesider" in text

    owner.embed_origins = "https://www.herning.dk"
    owner.save()
    assert "tillader kortet på denne hjemmeside: <code>https://www.herning.dk</code>." in (
        unescape(client.get(target.get_absolute_url()).text)
    )


def test_the_target_page_names_its_oembed_endpoint(client, target):
    response = client.get(target.get_absolute_url())
    link = re.search(
        r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', response.text
    )

    endpoint = unescape(link.group(1))
    assert endpoint.startswith("http://testserver/oembed?")
    answer = client.get(endpoint)
    assert answer.status_code == 200
    assert answer.json()["type"] == "rich"


def test_a_draft_target_page_offers_no_card(client, target):
    from tests.factories import MembershipFactory, UserFactory

    target.status = Strategy.Status.DRAFT
    target.save()
    editor = UserFactory(is_staff=True)
    MembershipFactory(user=editor, organization=target.goal.strategy.owner)
    client.force_login(editor)

    response = client.get(target.get_absolute_url())

    assert response.status_code == 200
    assert "Vis kortet på jeres hjemmeside" not in response.text
    assert "json+oembed" not in response.text


def oembed(client, url: str, **params):
    return client.get("/oembed?" + urlencode({"url": url, **params}))


def test_oembed_gives_the_cards_iframe_for_a_target_page(client, target):
    owner = target.goal.strategy.owner

    response = oembed(client, "http://testserver" + target.get_absolute_url(), format="json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["version"] == "1.0"
    assert answer["type"] == "rich"
    assert answer["width"] == 300
    assert answer["height"] == 200
    assert answer["title"] == "Årselever"
    assert answer["author_name"] == owner.name
    assert answer["author_url"] == "http://testserver" + owner.get_absolute_url()
    assert answer["provider_name"] == "Strategiportalen"
    assert answer["provider_url"] == "http://testserver/"
    assert answer["html"] == (
        f'<iframe src="http://testserver{card_url(target)}" width="300" height="200" '
        f'title="Fremdrift: Årselever, {owner.name}" loading="lazy"></iframe>'
    )


def test_oembed_answers_in_the_language_of_the_page_asked_about(client, target):
    answer = oembed(client, "http://testserver/en" + target.get_absolute_url()).json()

    assert answer["html"].startswith('<iframe src="http://testserver/en/strategier/')
    assert "/kort/" in answer["html"]
    assert answer["provider_url"] == "http://testserver/en/"


def test_oembed_takes_a_card_size_that_fits(client, target):
    url = "http://testserver" + target.get_absolute_url()

    assert oembed(client, url, maxwidth=300, maxheight=200).status_code == 200
    assert oembed(client, url, maxwidth=640).status_code == 200


@pytest.mark.parametrize(
    "size", [{"maxwidth": 299}, {"maxheight": 150}, {"maxwidth": "bred"}, {"maxwidth": "²"}]
)
def test_oembed_has_no_answer_smaller_than_the_card(client, target, size):
    """The oEmbed specification's 404: no representation for the request. 501 means a format."""
    assert (
        oembed(client, "http://testserver" + target.get_absolute_url(), **size).status_code == 404
    )


def test_oembed_answers_json_only(client, target):
    url = "http://testserver" + target.get_absolute_url()

    assert oembed(client, url, format="xml").status_code == 501


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/strategier/heg/strategi-2028/maal/findes-ikke/arselever/",
        "http://testserver/",
        "http://andet.example.dk{page}",
        "",
        "ikke en adresse",
        "http://testserver{page}data.csv",
    ],
)
def test_oembed_knows_only_the_portals_target_pages(client, target, url):
    assert oembed(client, url.format(page=target.get_absolute_url())).status_code == 404


def test_oembed_knows_no_draft(client, target):
    target.goal.status = Strategy.Status.DRAFT
    target.goal.save()

    assert oembed(client, "http://testserver" + target.get_absolute_url()).status_code == 404


def test_a_sparkline_starts_at_zero_and_ends_in_the_latest_value():
    aim = Target(direction=Direction.AT_LEAST, value=200.0, period=2030)

    line = build_sparkline([Point(2021, 100.0), Point(2020, 50.0)], aim)

    assert line.points == [Point(2020, 50.0), Point(2021, 100.0)]
    assert line.frame.y(0) == line.frame.plot_bottom
    assert line.target_y == line.frame.plot_top
    assert (line.last.x, line.last.y) == (line.frame.plot_right, line.frame.y(100.0))
    assert build_sparkline([], aim) is None
    # One value is drawn in the middle.
    assert build_sparkline([Point(2021, 5.0)], aim).last.x == line.frame.width / 2
