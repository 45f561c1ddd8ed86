"""What citizens see: published strategies and approved values only, every number sourced,
in the reader's language."""

from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from goals.models import FocusArea, Goal, Strategy
from indicators.models import GoalTarget, Indicator, IndicatorValue
from tests.factories import (
    FocusAreaFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    OrganizationFactory,
    SchoolFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def links_of(html: str) -> list[str]:
    collector = LinkCollector()
    collector.feed(html)
    return collector.links


# Not the public portal: the admin, static files, and pages behind a sign-in.
NOT_CRAWLED = ("admin", "static", "konto", "indberetning", "gennemgang")


def language_of(path: str) -> str:
    return path[:4] if path.startswith(("/sv/", "/en/")) else "/"


def crawl(client: Client, start: str = "/", *, visit=None, downloads: bool = False) -> set[str]:
    """Every page reachable from `start` by following links within the portal in the language
    of `start` ("/", "/sv/" or "/en/"), not their filtered variants (a query string); each
    HTML page, and with `downloads` each CSV too, is passed to `visit(url, text)` if given."""
    language = language_of(start)
    seen, queue = set(), [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response["Content-Type"].startswith("text/html")
        if visit is not None and (html or downloads):
            # The open-data files stream from disk. Their zip and workbook are compressed, so
            # a sentinel cannot be read in them here; tests/test_open_data.py opens them.
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            visit(url, content.decode(errors="replace"))
        if not html:
            continue
        for link in links_of(response.text):
            parts = urlsplit(link)
            path = parts.path
            internal = not parts.netloc and path.startswith("/") and language_of(path) == language
            public = path.removeprefix(language).split("/")[0] not in NOT_CRAWLED
            wanted = downloads or not path.endswith(".csv")
            if internal and public and wanted and not parts.query:
                queue.append(path)
    return seen


def test_every_focus_area_goal_target_and_indicator_of_the_seed_is_reachable_from_the_front_page(
    client, seed
):
    reached = crawl(client)

    expected = {area.get_absolute_url() for area in FocusArea.objects.public()}
    expected |= {goal.get_absolute_url() for goal in Goal.objects.public()}
    expected |= {target.get_absolute_url() for target in GoalTarget.objects.public()}
    expected |= {indicator.get_absolute_url() for indicator in Indicator.objects.public()}
    assert len(expected) == 26 + 62 + 6 + 6
    assert expected - reached == set()


def test_the_front_page_lists_published_strategies_and_headline_indicators(client, seed):
    page = client.get("/").text

    for title in ["Strategi 2028", "Børn og læring", "Modellkommun för lärcentra 2022"]:
        assert title in page
    assert "Årselever" in page
    assert "1.384\xa0årselever i 2023" in page


def test_the_front_page_names_the_twelve_newest_strategies_and_counts_them_all(client, db):
    owner = OrganizationFactory(name="Aarhus Kommune")
    StrategyFactory.create_batch(12, owner=owner, start_year=2024)
    StrategyFactory(owner=owner, title="Den ældste", start_year=2015)
    StrategyFactory(title="En kladde", status=Strategy.Status.DRAFT, start_year=2026)

    page = " ".join(client.get("/").text.split())

    assert "Der er 13 offentliggjorte strategier. 1 organisation står bag." in page
    assert "Her er de nyeste:" in page
    assert page.count(">Strategi ") == 12
    assert "Den ældste" not in page  # /strategier/ lists it
    assert "En kladde" not in page
    assert reverse("portal:strategies") in page


def test_a_strategy_without_a_first_year_is_not_among_the_newest(client, db):
    StrategyFactory.create_batch(12, start_year=2020)
    StrategyFactory(title="Uden årstal", start_year=None, end_year=None)

    page = client.get("/").text

    assert "Uden årstal" not in page


def test_hegs_strategy_page_shows_its_texts_focus_areas_indicators_and_source(client, seed):
    strategy = Strategy.objects.get_by_natural_key("heg", "strategi-2028")

    page = client.get(strategy.get_absolute_url()).text

    assert "Gennem lærings- og dannelsesprocesser" in page  # mission
    assert "Danmarks fremtid" in page  # vision
    assert "anerkendende samarbejde" in page  # values
    for title in ["Læring", "Rekruttering", "Faciliteter", "Bæredygtighed"]:
        assert f">{title}</a>" in page
    assert "Mindst 1.800" not in page  # the target sits in the sentence, not as a label
    assert "Målet er mindst 1.800\xa0årselever i 2028." in page
    assert "Målet er højst 25,0\xa0m² pr. elev i 2028." in page
    assert "»Strategi 2028«" in page
    assert "oktober 2023" in page


def test_the_target_page_has_summary_chart_table_source_and_download(client, seed):
    target = GoalTarget.objects.get(indicator__slug="arselever")

    response = client.get(target.get_absolute_url())

    page = response.text
    assert '<svg class="portal-chart__svg"' in page
    assert "<table" in page
    assert "1.459\xa0årselever" in page  # expected in 2024
    assert "Mål: 1.800\xa0årselever" in page
    assert "heguddannelser.dk" in page
    assert "Senest opdateret" in page
    assert (
        reverse(
            "portal:indicator_csv",
            args=["heg", "strategi-2028", "aktivitet-1800-arselever", "arselever"],
        )
        in page
    )
    assert reverse("portal:methodology") in page
    assert reverse("portal:series", args=["heg", "arselever"]) in page


def test_the_chart_coordinates_are_not_written_with_a_decimal_comma(client, seed):
    page = client.get(GoalTarget.objects.get(indicator__slug="arselever").get_absolute_url()).text

    svg = page[page.index('<svg class="portal-chart__svg"') :]
    svg = svg[: svg.index("</svg>")]
    assert 'cx="102.0"' in svg  # 2023, at the plot's left edge
    assert ',0"' not in svg


@pytest.mark.parametrize(
    ("language", "expected"),
    [("", "1.800\xa0årselever"), ("/en", "1,800\xa0årselever"), ("/sv", "1\xa0800\xa0årselever")],
)
def test_numbers_follow_the_readers_language(client, seed, language, expected):
    target = GoalTarget.objects.get(indicator__slug="arselever")

    page = client.get(language + target.get_absolute_url()).text

    assert expected in page


def test_swedish_content_on_a_danish_page_is_tagged_as_swedish(client, seed):
    strategy = Strategy.objects.get_by_natural_key("nitus", "modellkommun-for-larcentra-2022")

    page = client.get(strategy.get_absolute_url()).text

    assert '<html lang="da">' in page
    assert '<h1 lang="sv">Modellkommun för lärcentra 2022</h1>' in page
    assert 'lang="sv">Breddad rekrytering</a></td>' in page


def test_every_page_links_the_accessibility_statement_and_the_other_languages(client, seed):
    strategy = Strategy.objects.get_by_natural_key("heg", "strategi-2028")

    page = client.get(strategy.get_absolute_url()).text

    assert f'href="{reverse("portal:accessibility")}"' in page
    assert "Tilgængelighedserklæring" in page
    assert f'href="/en{strategy.get_absolute_url()}"' in page
    assert f'href="/sv{strategy.get_absolute_url()}"' in page


def test_the_english_portal_speaks_english(client, seed):
    with translation.override("en"):
        url = reverse("portal:front")

    page = client.get(url).text

    assert url == "/en/"
    assert '<html lang="en">' in page
    assert "Accessibility statement" in page


def test_a_draft_strategy_and_everything_under_it_is_not_found(client):
    draft = StrategyFactory(status=Strategy.Status.DRAFT)
    area = FocusAreaFactory(strategy=draft)
    goal = GoalFactory(focus_area=area)
    target = GoalTargetFactory(goal=goal)
    IndicatorValueFactory(indicator=target.indicator)
    csv_url = reverse(
        "portal:indicator_csv",
        args=[draft.owner.slug, draft.slug, goal.slug, target.indicator.slug],
    )

    for url in [
        draft.get_absolute_url(),
        area.get_absolute_url(),
        goal.get_absolute_url(),
        target.get_absolute_url(),
        csv_url,
        target.indicator.get_absolute_url(),  # no published strategy targets the indicator
    ]:
        assert client.get(url).status_code == 404, url
    assert draft.title not in client.get("/").text
    assert draft.title not in client.get(reverse("portal:strategies")).text
    assert target.name not in client.get(draft.owner.get_absolute_url()).text


@pytest.mark.parametrize("page_of", ["target", "indicator"])
def test_values_that_are_not_approved_are_not_shown(client, page_of):
    target = GoalTargetFactory()
    indicator = target.indicator
    IndicatorValueFactory(indicator=indicator, period=2024, value=Decimal(1501))
    for status, period, value in [("draft", 2025, 1602), ("submitted", 2026, 1703)]:
        IndicatorValueFactory(indicator=indicator, period=period, value=value, status=status)

    page = client.get({"target": target, "indicator": indicator}[page_of].get_absolute_url()).text

    assert "1.501" in page
    assert "1.602" not in page
    assert "1.703" not in page


def test_illustrative_values_are_marked_as_illustrative(client):
    target = GoalTargetFactory()
    IndicatorValueFactory(indicator=target.indicator, is_illustrative=True)

    page = client.get(target.get_absolute_url()).text

    assert "Nogle af tallene er eksempler til demonstration" in page
    assert "portal-chart__point--illustrative" in page
    assert "illustrativt" in page


def test_a_schools_values_are_shown_for_comparison(client):
    target = GoalTargetFactory()
    school = SchoolFactory(parent=target.indicator.organization, name="Lindbjergskolen")
    IndicatorValueFactory(indicator=target.indicator, organization=school, period=2024, value=40)

    page = client.get(target.get_absolute_url()).text

    assert "Tal fra skoler og andre enheder" in page
    assert "Lindbjergskolen" in page


def test_an_unknown_page_gets_the_portals_404(client):
    response = client.get("/strategier/findes/ikke/")

    assert response.status_code == 404
    assert "Siden findes ikke" in response.text
    assert "Tilgængelighedserklæring" in response.text


def test_the_500_page_renders_without_a_request():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")

    assert "Der skete en fejl" in page
    assert "dkfds.min.css" in page


def test_the_organization_page_shows_members_and_their_network(client, seed):
    nitus = client.get(reverse("portal:organization", args=["nitus"])).text
    reveljen = client.get(reverse("portal:organization", args=["reveljen-solleftea"])).text

    assert "Campus Skellefteå" in nitus
    assert "Nitus" in reveljen


def test_a_value_for_a_strategy_of_another_organization_stays_on_its_own_page(client):
    ours = GoalTargetFactory()
    theirs = GoalTargetFactory().indicator
    IndicatorValueFactory(indicator=theirs, value=1777)

    page = client.get(ours.goal.strategy.owner.get_absolute_url()).text

    assert IndicatorValue.objects.filter(value=1777).exists()
    assert "1.777" not in page
