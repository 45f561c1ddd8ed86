"""Pages with nothing to show say so in words: no chart without a value to draw, no table
without rows, no empty list, and no link to a comparison with nothing to compare."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    MetricFactory,
    OrganizationFactory,
    PercentTargetFactory,
    ReferenceFigureFactory,
    SchoolFactory,
    StrategyFactory,
    ThemeFactory,
    WorkingModelFactory,
)
from tests.portal.test_pages import crawl

pytestmark = pytest.mark.django_db

NO_VALUES = "Der er endnu ingen godkendte tal. Tallene indberettes af"


class EmptyParts(HTMLParser):
    """The parts of a page that are drawn or laid out with nothing in them: a chart without a
    value (markers other than milestones), a table without body rows, a list without items."""

    MARKERS = {"circle", "rect", "polygon"}

    def __init__(self):
        super().__init__()
        self.empty: list[str] = []
        self.open: list[tuple[str, dict]] = []  # the charts, tables and lists being read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "svg" and "portal-chart__svg" in classes:
            self.open.append(("chart", {"count": 0}))
        elif tag in ("table", "ul", "ol"):
            self.open.append((tag, {"count": 0}))
        elif tag in self.MARKERS and "portal-chart__milestone" not in classes:
            self._count("chart")
        elif tag == "tr" and self._in_body:
            self._count("table")
        elif tag == "li":
            self._count("ul", "ol")
        if tag == "tbody":
            self._in_body = True
        elif tag == "thead":
            self._in_body = False

    _in_body = False

    def _count(self, *kinds):
        for kind, state in reversed(self.open):
            if kind in kinds:
                state["count"] += 1
                return

    def handle_endtag(self, tag):
        kind = "chart" if tag == "svg" else tag
        if tag == "tbody":
            self._in_body = False
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == kind:
                state = self.open.pop(index)[1]
                if not state["count"]:
                    self.empty.append(kind)
                return


def empty_parts_of(html: str) -> list[str]:
    parser = EmptyParts()
    parser.feed(html)
    return parser.empty


def empty_parts_of_every_page(client) -> dict[str, list[str]]:
    found = {}
    crawl(client, visit=lambda url, html: found.update({url: empty_parts_of(html)}))
    return {url: parts for url, parts in found.items() if parts}


def test_the_check_finds_a_header_only_table_a_target_only_chart_and_an_empty_list():
    # So that the crawls below can fail.
    html = (
        "<table><thead><tr><th>Periode</th></tr></thead><tbody></tbody></table>"
        '<svg class="portal-chart__svg"><line class="portal-chart__target"></line>'
        '<polygon class="portal-chart__milestone"></polygon></svg><ul></ul>'
    )

    assert empty_parts_of(html) == ["table", "chart", "ul"]


def test_no_page_of_the_seed_has_an_empty_chart_table_or_list(client, seed):
    assert empty_parts_of_every_page(client) == {}


def test_no_page_of_a_portal_with_little_in_it_has_an_empty_chart_table_or_list(client):
    strategy = StrategyFactory()
    FocusAreaFactory(strategy=strategy)
    GoalFactory(focus_area__strategy=strategy)
    target = PercentTargetFactory(
        goal__focus_area__strategy=strategy, indicator__metric=MetricFactory()
    )
    theme = ThemeFactory()
    target.goal.themes.add(theme)
    WorkingModelFactory(theme=theme)
    OrganizationFactory()

    assert empty_parts_of_every_page(client) == {}


def test_a_target_without_approved_values_says_so_and_who_reports_them_instead_of_an_empty_table(
    client,
):
    # Herning's 95 %: no deadline, so not even a row for the target year.
    target = PercentTargetFactory(goal__focus_area__strategy__owner__name="Herning Kommune")

    page = client.get(target.get_absolute_url()).text

    assert f'{NO_VALUES} <span lang="da">Herning Kommune</span>.' in page
    assert "table-caption" not in page
    assert "Hent tallene som CSV" not in page


def test_a_target_with_a_deadline_but_no_values_draws_no_chart_of_only_its_target(client):
    # HEG's 25 m² per pupil in 2028, without a value yet.
    target = GoalTargetFactory(
        direction="at_most", baseline_period=None, baseline_value=None, target_value=25
    )

    page = client.get(target.get_absolute_url()).text

    assert NO_VALUES in page
    assert "portal-chart__svg" not in page


def test_a_target_with_a_value_has_its_chart_table_and_download(client):
    target = GoalTargetFactory()
    IndicatorValueFactory(indicator=target.indicator, period=2024)

    page = client.get(target.get_absolute_url()).text

    assert "portal-chart__svg" in page
    assert "table-caption" in page
    assert "Hent tallene som CSV" in page
    assert NO_VALUES not in page


def test_an_indicator_without_approved_values_says_so_instead_of_an_empty_table(client):
    target = PercentTargetFactory()

    page = client.get(target.indicator.get_absolute_url()).text

    assert f'{NO_VALUES} <span lang="da">{target.goal.strategy.owner.name}</span>.' in page
    assert "table-caption" not in page


def test_the_sentence_names_every_organization_that_reports_the_values(client):
    target = PercentTargetFactory(goal__focus_area__strategy__owner__name="Hillerød Kommune")
    municipality = target.goal.strategy.owner
    school = SchoolFactory(name="Grønnevang Skole", parent=municipality)
    target.indicator.reporting_organizations.set([municipality, school])

    page = client.get(target.get_absolute_url()).text

    assert (
        f'{NO_VALUES} <span lang="da">Grønnevang Skole</span> og '
        '<span lang="da">Hillerød Kommune</span>.'
    ) in page


def test_the_sentence_counts_the_reporting_organizations_after_the_first_three(client):
    target = PercentTargetFactory()
    schools = [SchoolFactory(name=f"Skole {letter}") for letter in "ABCDEF"]
    target.indicator.reporting_organizations.set(schools)

    page = client.get(target.indicator.get_absolute_url()).text

    assert (
        f'{NO_VALUES} <span lang="da">Skole A</span>, <span lang="da">Skole B</span>, '
        '<span lang="da">Skole C</span> og 3 andre.'
    ) in page


def shared_target(metric, *, value=None, theme=None):
    """A published target on `metric` of an organization of its own, with `value` in 2024."""
    target = PercentTargetFactory(indicator__metric=metric)
    if value is not None:
        IndicatorValueFactory(indicator=target.indicator, period=2024, value=value)
    if theme is not None:
        target.goal.themes.add(theme)
    return target


def pages_that_offer_comparisons(target, theme) -> dict[str, str]:
    return {
        "target": target.get_absolute_url(),
        "series": target.indicator.get_absolute_url(),
        "learn from others": reverse("portal:themes"),
        "theme": theme.get_absolute_url(),
    }


def test_a_comparison_of_one_organization_without_values_is_offered_nowhere(client):
    theme, metric = ThemeFactory(), MetricFactory()
    target = shared_target(metric, theme=theme)

    for name, url in pages_that_offer_comparisons(target, theme).items():
        assert metric.get_absolute_url() not in client.get(url).text, name


def test_a_municipality_beside_its_own_schools_values_is_offered_no_comparison(client):
    # The comparison opens on municipalities, where this one would stand alone.
    theme, metric = ThemeFactory(), MetricFactory()
    target = shared_target(metric, value=90, theme=theme)
    for school in SchoolFactory.create_batch(2, parent=target.indicator.organization):
        IndicatorValueFactory(indicator=target.indicator, organization=school, value=80)

    for name, url in pages_that_offer_comparisons(target, theme).items():
        assert metric.get_absolute_url() not in client.get(url).text, name


def test_a_comparison_of_two_organizations_where_only_one_has_values_is_offered_nowhere(client):
    theme, metric = ThemeFactory(), MetricFactory()
    target = shared_target(metric, value=90, theme=theme)
    shared_target(metric, theme=theme)

    for name, url in pages_that_offer_comparisons(target, theme).items():
        assert metric.get_absolute_url() not in client.get(url).text, name


def test_a_comparison_of_two_organizations_with_values_is_offered_everywhere(client):
    theme, metric = ThemeFactory(), MetricFactory()
    target = shared_target(metric, value=90, theme=theme)
    shared_target(metric, value=85, theme=theme)

    for name, url in pages_that_offer_comparisons(target, theme).items():
        assert metric.get_absolute_url() in client.get(url).text, name


def test_one_organizations_values_beside_a_reference_figure_are_something_to_compare(client):
    theme, metric = ThemeFactory(), MetricFactory()
    target = shared_target(metric, value=93.4, theme=theme)
    ReferenceFigureFactory(metric=metric, label="Hele landet")

    for name, url in pages_that_offer_comparisons(target, theme).items():
        assert metric.get_absolute_url() in client.get(url).text, name


def test_a_theme_offers_a_comparison_only_when_organizations_on_the_theme_have_values(client):
    # The theme's link filters the comparison by the theme: values off the theme do not count.
    theme, metric = ThemeFactory(), MetricFactory()
    shared_target(metric, value=90, theme=theme)
    shared_target(metric, value=85)

    assert metric.get_absolute_url() not in client.get(theme.get_absolute_url()).text


def test_a_comparison_without_values_says_so_and_names_who_measures_it(client):
    metric = MetricFactory()
    target = shared_target(metric)

    page = client.get(metric.get_absolute_url()).text

    assert "Der er endnu ingen godkendte tal at sammenligne. Tallene indberettes af:" in page
    assert target.indicator.get_absolute_url() in page
    assert "<table" not in page


def test_a_comparison_of_reference_figures_alone_says_no_organization_has_values_yet(client):
    metric = MetricFactory()
    ReferenceFigureFactory(metric=metric, label="Hele landet")
    ReferenceFigureFactory(metric=metric, label="Region Hovedstaden")

    page = client.get(metric.get_absolute_url()).text
    filtered = client.get(metric.get_absolute_url(), {"name": "Aalborg"}).text

    assert "Region Hovedstaden" in page
    assert "Ingen organisationer har endnu godkendte tal for denne måling" in page
    assert "passer til filtrene" not in page
    assert "Ingen organisationer passer til filtrene." in filtered


def test_a_focus_area_without_goals_or_actions_says_so_on_its_page_and_its_strategys(client):
    area = FocusAreaFactory()

    for url in (area.get_absolute_url(), area.strategy.get_absolute_url()):
        assert "Fokusområdet har endnu ingen mål eller handlinger." in client.get(url).text, url


def test_a_goal_without_an_indicator_or_actions_does_not_point_to_actions(client):
    goal = GoalFactory()

    page = client.get(goal.get_absolute_url()).text

    assert "Målet har ingen indikator og endnu ingen handlinger." in page
    assert "gennem handlingerne" not in page


def test_a_goal_without_an_indicator_but_with_actions_is_followed_through_them(client):
    goal = GoalFactory()
    ActionFactory(focus_area=goal.focus_area)

    page = client.get(goal.get_absolute_url()).text

    assert "Det følges gennem handlingerne og strategiens tekst." in page


def test_a_strategy_without_focus_areas_goals_or_actions_says_so(client):
    strategy = StrategyFactory()

    page = client.get(strategy.get_absolute_url()).text

    assert "Strategien har endnu ingen fokusområder, mål eller handlinger på portalen." in page


def test_without_strategies_the_list_says_there_are_none_yet_rather_than_blaming_the_filters(
    client,
):
    unfiltered = client.get(reverse("portal:strategies")).text
    filtered = client.get(reverse("portal:strategies"), {"country": "SE"}).text

    assert "Der er endnu ingen offentliggjorte strategier." in unfiltered
    assert "Ingen strategier passer til filtrene." in filtered


def test_a_comparison_of_reference_figures_alone_is_not_counted_as_zero_indicators(client):
    # Hillerød's 93,4 % beside the country's 89,9 %: figures from a newspaper, no indicator.
    metric = MetricFactory()
    ReferenceFigureFactory(metric=metric, label="Hele landet")
    ReferenceFigureFactory(metric=metric, label="Hillerød Kommune", value=93.4)

    page = client.get(reverse("portal:themes")).text

    assert metric.get_absolute_url() in page
    assert "kun sammenligningstal fra offentlige kilder" in page
    assert "0 indikatorer" not in page


def test_a_sum_waiting_for_some_schools_says_there_are_not_yet_values_enough(client):
    # The schools' values that have come in are listed below; the sum needs all of them.
    target = GoalTargetFactory(indicator__metric__aggregation="sum")
    schools = SchoolFactory.create_batch(2, parent=target.goal.strategy.owner)
    target.indicator.reporting_organizations.set(schools)
    IndicatorValueFactory(indicator=target.indicator, organization=schools[0], value=40)

    page = client.get(target.get_absolute_url()).text

    assert "Der er endnu ikke godkendte tal nok til at beregne indikatorens tal." in page
    assert "Der er endnu ingen godkendte tal. Tallene" not in page
