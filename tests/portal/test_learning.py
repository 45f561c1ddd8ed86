"""Peer learning: themes across organizations and countries, Nitus' mentoring round and its
working models, and comparisons of organizations on a shared measurement."""

import pytest
from django.urls import reverse

from goals.models import Goal, Mentorship, Theme, WorkingModel
from tests.factories import (
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MetricFactory,
    OrganizationFactory,
    PercentTargetFactory,
    ReferenceFigureFactory,
    SchoolFactory,
    StrategyFactory,
    ThemeFactory,
)
from tests.portal.test_pages import crawl

pytestmark = pytest.mark.django_db


def test_a_theme_page_lists_goals_from_several_organizations_and_countries(client, seed):
    page = client.get(reverse("portal:theme", args=["breddad-rekrytering"])).text

    assert '<h1 lang="sv">Breddad rekrytering</h1>' in page
    assert "Hillerød Kommune" in page
    assert "Himmerlands Erhvervs- og Gymnasieuddannelser" in page
    assert "Nitus" in page
    assert "øge rekrutteringen af relevante nyuddannede kandidater" in page
    assert "Skolens aktivitet stiger med gennemsnitligt 5% pr. år" in page
    assert "Motorfunktionen" in page  # the working model to learn from
    assert "Campus Skellefteå" in page  # and who learns from it


def test_a_theme_page_filters_by_country(client, seed):
    page = client.get(reverse("portal:theme", args=["breddad-rekrytering"]), {"country": "SE"}).text

    assert "Modellkommun för lärcentra 2022" in page
    assert "Hillerød Kommune</a>" not in page


def test_the_seed_connects_danish_goals_with_the_nitus_themes(seed):
    assert Goal.objects.on_theme(Theme.objects.get(slug="breddad-rekrytering")).count() == 6
    herning_formats = Goal.objects.filter(
        focus_area__slug="udvikling-af-nye-uddannelsesformater-og-tilgange"
    )
    assert herning_formats.count() == 0  # the focus point itself is tagged; it has no goals
    assert Theme.objects.get(slug="alternativa-utbildningsformat").focus_areas.count() == 2


def test_the_nitus_round_shows_every_pair_and_working_model_with_its_source(client, seed):
    strategy_url = reverse("portal:strategy", args=["nitus", "modellkommun-for-larcentra-2022"])

    page = client.get(strategy_url).text

    for mentorship in Mentorship.objects.all():
        assert f'id="par-{mentorship.pk}"' in page
    for model in WorkingModel.objects.all():
        assert model.get_absolute_url() in page
    model_page = client.get(WorkingModel.objects.get(slug="motorfunktionen").get_absolute_url())
    assert "sedan minst 10 år tillbaka" in model_page.text
    assert "Beskrivelsen er gengivet ordret fra" in model_page.text
    assert strategy_url in model_page.text


def test_a_citizen_reaches_the_round_each_working_model_and_each_theme_from_the_front_page(
    client, seed
):
    reached = crawl(client)

    assert reverse("portal:strategy", args=["nitus", "modellkommun-for-larcentra-2022"]) in reached
    assert {model.get_absolute_url() for model in WorkingModel.objects.all()} <= reached
    assert {theme.get_absolute_url() for theme in Theme.objects.all()} <= reached


def test_a_tagged_goal_leads_to_other_organizations_goals_on_the_theme(client, seed):
    goal = Goal.objects.get(slug="attraktive-uddannelser")

    page = client.get(goal.get_absolute_url()).text

    assert reverse("portal:theme", args=["breddad-rekrytering"]) in page
    heg_goal = Goal.objects.get(slug="aktivitet-1800-arselever")
    assert heg_goal.get_absolute_url() in page


def test_a_network_page_shows_its_themes_members_and_pairs(client, seed):
    page = client.get(reverse("portal:organization", args=["nitus"])).text

    assert "Kompetensbehov" in page
    assert "Lärcenter Vuxenutbildningen Karlstad" in page
    assert "Semaforen" in page


@pytest.fixture
def comparison():
    metric = MetricFactory(name="Gennemførelse af ungdomsuddannelse", unit="%", decimals=1)
    theme = ThemeFactory(name="Ungdomsuddannelse")
    herning = OrganizationFactory(name="Herning Kommune", country="DK")
    hillerod = OrganizationFactory(name="Hillerød Kommune", country="DK")
    school = SchoolFactory(name="Lindbjergskolen", parent=herning)
    herning_goal = GoalFactory(focus_area__strategy=StrategyFactory(owner=herning))
    herning_goal.themes.add(theme)
    ours = IndicatorFactory(
        organization=herning, metric=metric, reporting_organizations=[herning, school]
    )
    PercentTargetFactory(goal=herning_goal, indicator=ours)
    theirs = IndicatorFactory(organization=hillerod, metric=metric)
    PercentTargetFactory(
        goal=GoalFactory(focus_area__strategy=StrategyFactory(owner=hillerod)), indicator=theirs
    )
    IndicatorValueFactory(indicator=ours, period=2023, value="91.5", source="UVM 2023")
    IndicatorValueFactory(indicator=ours, period=2024, value="92.1", source="UVM 2024")
    IndicatorValueFactory(
        indicator=ours, organization=school, period=2024, value="97.0", source="Skolen"
    )
    IndicatorValueFactory(indicator=theirs, period=2024, value="93.4", source="Hillerøds tal")
    ReferenceFigureFactory(metric=metric, label="Hele landet", period=2023, value="89.9")
    return metric


def test_a_comparison_shows_each_organizations_values_with_their_sources(client, comparison):
    page = client.get(comparison.get_absolute_url()).text

    for label in ["Herning Kommune", "Hillerød Kommune", "Hele landet"]:
        assert label in page
    assert "91,5\xa0%" in page
    assert "93,4\xa0%" in page
    assert "Kilde: UVM 2023" in page
    assert "portal-line--2" in page  # three lines on the chart
    for indicator in comparison.indicators.all():
        assert f'href="{indicator.get_absolute_url()}"' in page  # each series links its page


def test_a_comparison_shows_a_schools_values_beside_its_municipalitys_on_request(
    client, comparison
):
    page = client.get(comparison.get_absolute_url(), {"show": "schools"}).text

    assert "Lindbjergskolen" in page
    assert "97,0\xa0%" in page
    assert "Indberettet til Herning Kommune" in page


def test_a_comparison_says_which_values_are_missing(client, comparison):
    page = client.get(comparison.get_absolute_url()).text

    assert "Mangler" in page
    assert "Tal, der mangler" in page
    assert "Hillerød Kommune: 2023" in page
    assert "Hele landet: 2024" in page


def test_a_comparison_filters_by_theme_and_country(client, comparison):
    theme_slug = Theme.objects.get(name="Ungdomsuddannelse").slug
    by_theme = client.get(comparison.get_absolute_url(), {"theme": theme_slug}).text
    by_country = client.get(comparison.get_absolute_url(), {"country": "SE"}).text

    assert "Herning Kommune" in by_theme
    assert "Hillerød Kommune" not in by_theme
    assert "Ingen organisationer passer til filtrene." in by_country


@pytest.mark.parametrize("page_of", ["target", "indicator"])
def test_the_target_and_indicator_pages_link_to_the_comparison(client, comparison, page_of):
    indicator = comparison.indicators.first()
    url = {"target": indicator.targets.get(), "indicator": indicator}[page_of].get_absolute_url()

    page = client.get(url).text

    assert comparison.get_absolute_url() in page


def test_an_organizations_own_metric_offers_no_comparison(client):
    target = GoalTargetFactory()

    page = client.get(target.get_absolute_url()).text

    assert target.indicator.metric.get_absolute_url() not in page


def test_the_seeded_comparison_shows_hillerod_beside_the_national_figure(client, seed):
    page = client.get(
        reverse("portal:comparison", args=["ungdomsuddannelse-efter-15-maaneder"])
    ).text

    assert "93,4\xa0%" in page
    assert "89,9\xa0%" in page
    assert "Sjællandske Nyheder, 2020" in page
    assert "2017/18" in page
