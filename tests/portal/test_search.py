import pytest
from django.db import connection
from django.urls import reverse

from goals.models import Strategy
from tests.factories import GoalFactory, GoalTargetFactory, IndicatorFactory, StrategyFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)


def search(client, query):
    return client.get(reverse("portal:search"), {"q": query}).text


def test_search_finds_strategies_focus_areas_goals_and_indicators_with_counts(client, seed):
    page = search(client, "praktikvejledere")

    assert "resultater for »praktikvejledere«" in page
    assert "Andel praktikvejledere med vejlederuddannelse" in page
    assert "Uddannelse og opkvalificering af praktikvejledere" in page
    assert 'Indikatorer <span class="portal-muted">(1)</span>' in page


def test_search_marks_the_matches(client, seed):
    page = search(client, "årselever")

    assert "<mark>årselever</mark>" in page.replace(
        "<mark>Årselever</mark>", "<mark>årselever</mark>"
    )


def test_search_finds_swedish_content_and_tags_it_as_swedish(client, seed):
    page = search(client, "Nitusdagarna")

    assert 'lang="sv"' in page
    assert "Modellkommun för lärcentra 2022" in page


def test_search_leaves_drafts_out(client):
    StrategyFactory(title="Hemmelig skolestrategi", status=Strategy.Status.DRAFT)

    page = search(client, "Hemmelig")

    assert "0 resultater" in page
    assert "Hemmelig skolestrategi</a>" not in page


def test_search_escapes_html_in_content(client):
    GoalFactory(text="Sikre <script>alert('x')</script> trivsel for alle")

    page = search(client, "trivsel")

    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_an_empty_search_shows_only_the_form(client):
    page = client.get(reverse("portal:search")).text

    assert 'name="q"' in page
    assert "resultater" not in page


@postgres_only
def test_full_text_search_stems_danish_words(client, seed):
    page = search(client, "rekrutteringen")

    assert "Rekruttering" in page


@postgres_only
def test_full_text_search_stems_swedish_words(client, seed):
    page = search(client, "strukturerna")  # the text says "strukturen"

    assert "Modellkommun för lärcentra 2022</a>" in page


def test_search_finds_an_indicator_by_its_definition_and_leads_to_its_series(client):
    target = GoalTargetFactory(
        indicator__name="Fravær", indicator__definition="Elevernes gennemsnitlige fraværsprocent"
    )

    page = search(client, "fraværsprocent")

    assert f'href="{target.indicator.get_absolute_url()}"' in page
    assert "Fravær</a>" in page


def test_search_leaves_out_an_indicator_no_published_strategy_targets(client):
    GoalTargetFactory(indicator__name="Fravær", goal__focus_area__strategy__status="draft")
    IndicatorFactory(name="Fravær i tiende klasse")

    page = search(client, "Fravær")

    assert "0 resultater" in page
