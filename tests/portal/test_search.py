import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Goal, SearchWord, Strategy
from indicators.models import Metric
from municipalities.models import ContentLanguage, Membership
from strategyportal.search import (
    FEW_RESULTS,
    MAX_QUERY_LENGTH,
    kinds,
    search_portal,
    searchable,
)
from tests.factories import (
    FocusAreaFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    MembershipFactory,
    StrategyFactory,
    ThemeFactory,
    WorkingModelFactory,
)

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)
DRAFT = Strategy.Status.DRAFT


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


@pytest.mark.parametrize(
    "query",
    [
        "elev\x00er",
        "\x00",
        "-" * 50,
        "- " * 60 + "elever",
        '"' * 41,
        "\"praktik' vejledere",
        "'; DROP TABLE goals_goal; --",
        "trivsel " * 2000,
        '-"' * 100,
        "9" * 200,
        '1.800,5 "1 800 årselevr" -1800 trivsl',
        "trivsl " * 30,
    ],
    ids=[
        "nul",
        "only nul",
        "hyphens",
        "spaced hyphens",
        "quotes",
        "odd quotes",
        "sql",
        "long",
        "negated quotes",
        "long number",
        "numbers and misspellings",
        "many misspellings",
    ],
)
def test_search_answers_any_query_without_an_error(client, query):
    GoalFactory(text="Elevernes trivsel")

    response = client.get(reverse("portal:search"), {"q": query})

    assert response.status_code == 200
    assert "resultat" in response.text


def test_a_query_loses_control_characters_and_hyphens_that_negate_nothing():
    assert searchable("elev\x00er\tog\nskole") == "elev er og skole"
    assert searchable("-" * 50) == ""
    assert searchable("--elever - skole") == "-elever skole"
    assert (
        searchable('data-baseret -privat -"god trivsel"') == 'data-baseret -privat -"god trivsel"'
    )


def test_a_long_query_is_cut_to_what_a_person_types():
    assert searchable("trivsel " * 2000) == ("trivsel " * 25).strip()
    assert len(searchable("x" * 10_000)) == MAX_QUERY_LENGTH


@pytest.mark.parametrize("query", ["- - -", '"', "-trivsel"])
def test_a_query_that_wants_no_word_finds_nothing(client, query):
    GoalFactory(text="Elevernes trivsel")

    page = search(client, query)

    assert "0 resultater" in page


def test_search_counts_up_to_a_cap_shows_the_first_results_and_says_so(client, monkeypatch):
    monkeypatch.setattr("strategyportal.search.COUNT_CAP", 2)
    monkeypatch.setattr("strategyportal.search.MAX_RESULTS_PER_KIND", 1)
    for _ in range(3):
        GoalFactory(text="Bedre trivsel")

    page = search(client, "trivsel")

    assert "Mere end 2 resultater for »trivsel«" in page
    assert "mål over 2" in page
    assert page.count("Bedre <mark>trivsel</mark>") == 1
    assert "Her vises de første 1. Skriv flere ord for at få færre resultater." in page


def test_search_counts_are_written_the_danish_way(client, monkeypatch):
    monkeypatch.setattr("strategyportal.search.MAX_RESULTS_PER_KIND", 1)
    strategy = StrategyFactory()
    Goal.objects.bulk_create(
        Goal(strategy=strategy, text="Bedre trivsel", slug=f"maal-{n}") for n in range(1000)
    )

    page = search(client, "trivsel")

    assert "1.000 resultater for »trivsel«" in page
    assert 'Mål <span class="portal-muted">(1.000)</span>' in page


def test_search_asks_one_query_per_kind(django_assert_num_queries):
    # As many as FEW_RESULTS: no suggestion is looked for.
    GoalTargetFactory(goal__text="Bedre trivsel", indicator__name="Trivsel")
    GoalFactory(text="Mere trivsel")

    with django_assert_num_queries(len(kinds(AnonymousUser()))):
        groups = search_portal("trivsel", user=AnonymousUser())

    assert [group.count for group in groups] == [0, 0, 2, 1, 0, 0]


# The stored vectors, their index and the triggers that keep them current are PostgreSQL's.


def found(query: str) -> dict[str, int]:
    return {group.label: group.count for group in search_portal(query, user=AnonymousUser())}


def make_with(kind: str, field: str, word: str) -> None:
    """A public object of `kind` with `word` in `field`, the field a lookup from the kind."""
    if kind == "Strategier":
        StrategyFactory(**{field: word})
    elif kind == "Fokusområder":
        FocusAreaFactory(**{field: word})
    elif kind == "Mål":
        GoalFactory(**{field: word})
    elif kind == "Temaer":
        # A theme is found when something visible carries it.
        GoalFactory().themes.add(ThemeFactory(**{field: word}))
    elif kind == "Arbejdsmodeller":
        WorkingModelFactory(**{field: word})
    else:
        GoalTargetFactory(**{f"indicator__{field}": word})


SEARCHED_FIELDS = [
    (str(kind.label), field) for kind in kinds(AnonymousUser()) for field in kind.fields
]


@postgres_only
@pytest.mark.parametrize(("kind", "field"), SEARCHED_FIELDS)
def test_every_searched_text_is_in_the_stored_vector(kind, field):
    word = "zqxw" + re.sub("[^a-z]", "", field)
    make_with(kind, field, word)

    assert found(word)[kind] == 1


@postgres_only
def test_a_changed_text_is_found_at_once_by_every_way_of_writing_it():
    goal = GoalFactory(text="Flere lærlinge")
    goal.text = "Mindre fravær"
    goal.save()
    Goal.objects.filter(text="Mindre fravær").update(description="Bedre trivsel")
    Goal.objects.bulk_create(
        [Goal(strategy=goal.strategy, text="Flere studenter", slug="studenter", order=9)]
    )

    assert found("lærlinge")["Mål"] == 0
    assert found("fravær trivsel")["Mål"] == 1
    assert found("studenter")["Mål"] == 1


@postgres_only
def test_a_strategy_that_changes_language_has_its_goals_stemmed_in_the_new_one():
    goal = GoalFactory(text="Skolorna samarbetar", strategy__language="da")
    assert found("skolor")["Mål"] == 0  # Swedish stemming makes both "skol"

    goal.strategy.language = "sv"
    goal.strategy.save()

    assert found("skolor")["Mål"] == 1


@postgres_only
def test_a_goal_loaded_before_its_strategy_is_stemmed_in_the_strategy_language():
    # Fixtures load with foreign keys checked at commit, in any order.
    Goal.objects.create(strategy_id=987_654, text="Skolorna samarbetar", slug="skolorna")
    StrategyFactory(id=987_654, language="sv")

    assert found("skolor")["Mål"] == 1


@postgres_only
def test_a_metric_whose_definition_changes_has_its_indicators_found_by_the_new_one():
    target = GoalTargetFactory()
    metric = target.indicator.metric
    metric.definition = "Elever i lærlingeforløb"
    metric.save()

    assert found("lærlingeforløb")["Indikatorer"] == 1

    Metric.objects.filter(pk=metric.pk).update(unit="kursister")

    assert found("kursister")["Indikatorer"] == 1


@postgres_only
def test_a_hyphen_before_a_word_leaves_out_what_has_it():
    GoalFactory(text="Trivsel i skolen")
    GoalFactory(text="Trivsel i fritiden")

    assert found("trivsel -skolen")["Mål"] == 1


@postgres_only
def test_every_content_language_has_a_search_configuration_of_its_own():
    with connection.cursor() as cursor:
        for language in ContentLanguage.values:
            cursor.execute("SELECT content_search_config(%s)::text", [language])
            assert cursor.fetchone()[0] != "simple", language


@postgres_only
def test_search_matches_the_stored_vector_of_each_kind_which_its_gin_index_serves():
    GoalFactory.create_batch(FEW_RESULTS, text="Bedre trivsel")  # no suggestion looked for
    with CaptureQueriesContext(connection) as queries:
        search_portal("trivsel", user=AnonymousUser())

    tables = [
        "goals_strategy",
        "goals_focusarea",
        "goals_goal",
        "indicators_indicator",
        "goals_theme",
        "goals_workingmodel",
    ]
    with connection.cursor() as cursor:
        # A test's tables are too small for the planner to choose an index unless told to.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query, table in zip(queries, tables, strict=True):
            assert f'"{table}".search_vector @@' in query["sql"]
            cursor.execute(
                f"EXPLAIN SELECT id FROM {table} WHERE search_vector @@ to_tsquery('trivsel')"  # noqa: S608
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert f"Bitmap Index Scan on {table}_search_vector" in plan


# What people type: numbers, case and diacritics, on SQLite as on PostgreSQL.


@pytest.mark.parametrize("written", ["1800", "1.800", "1 800"])
@pytest.mark.parametrize("query", ["1800", "1.800", "1 800", "1800 årselever"])
def test_a_number_is_found_however_its_thousands_are_written(written, query):
    GoalFactory(text=f"{written} årselever i 2030")

    assert found(query)["Mål"] == 1


@pytest.mark.parametrize("query", ["1800", "1.800", "1 800", "1800 Årselever", "arselever 1800"])
def test_the_seed_goal_of_1_800_arselever_is_found_however_the_reader_writes_it(
    client, seed, query
):
    page = search(client, query)

    assert "aktivitetsniveau på minimum <mark>1.800</mark>" in page


def test_a_comma_is_the_decimal_mark_so_1_comma_800_is_not_1800():
    GoalFactory(text="1.800 årselever i 2030")

    assert found("1,800")["Mål"] == 0
    assert found("1.800")["Mål"] == 1


@pytest.mark.parametrize("query", ["Årselever", "årselever", "arselever", "ÅRSELEVER"])
def test_search_ignores_case_and_diacritics(query):
    GoalFactory(text="Flere årselever")
    StrategyFactory(title="Skoleårets Strategi")  # "Årets" is no "arselever"

    assert found(query) == {**found("xyzzy"), "Mål": 1}


def test_the_excerpt_marks_what_matched_as_it_is_written(client):
    GoalFactory(text="Vi vil have 1.800 årselever i 2030")

    page = search(client, "1800 arselever")

    assert "<mark>1.800</mark> <mark>årselever</mark>" in page


def test_search_finds_themes_and_working_models(client):
    theme = ThemeFactory(name="Breddad rekrytering", description="Nå nye grupper af kursister")
    GoalFactory().themes.add(theme)
    model = WorkingModelFactory(name="Motorfunktionen", results="Flere kursister i job")

    page = search(client, "kursister")

    assert f'<a href="{theme.get_absolute_url()}" lang="da">Breddad rekrytering</a>' in page
    assert f'<a href="{model.get_absolute_url()}" lang="da">Motorfunktionen</a>' in page
    assert 'Arbejdsmodeller <span class="portal-muted">(1)</span>' in page


def test_search_leaves_out_a_draft_working_model():
    WorkingModelFactory(name="Motorfunktionen")
    WorkingModelFactory(name="Motorfunktionen i kladde", status=DRAFT)

    assert found("Motorfunktionen")["Arbejdsmodeller"] == 1


def test_search_leaves_out_a_theme_only_a_draft_goal_carries():
    GoalFactory().themes.add(ThemeFactory(name="Breddad rekrytering"))
    GoalFactory(status=DRAFT).themes.add(ThemeFactory(name="Hemmelig rekrytering"))

    assert found("rekrytering")["Temaer"] == 1
    assert found("Hemmelig")["Temaer"] == 0


def test_search_leaves_out_everything_of_a_draft_strategy():
    GoalFactory(text="Hemmelige årselever", focus_area__title="Hemmelige mål")
    draft = StrategyFactory(title="Hemmelig plan", status=DRAFT)
    GoalFactory(text="Hemmelige årselever", focus_area__strategy=draft)

    assert found("Hemmelig") == {**found("xyzzy"), "Fokusområder": 1, "Mål": 1}


def test_an_editor_finds_the_drafts_of_their_organization_marked_as_drafts(client):
    model = WorkingModelFactory(name="Motorfunktionen i kladde", status=DRAFT)
    GoalFactory(text="Motorfunktionen i skolen")
    editor = MembershipFactory(organization=model.organization, role=Membership.Role.EDITOR).user
    client.force_login(editor)

    page = search(client, "Motorfunktionen")

    assert "Motorfunktionen i kladde</a> <span" in page
    assert page.count("Kladde, kun for redaktører") == 1


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only")
def test_sqlite_offers_no_suggestion():
    GoalFactory(text="Flere årselever")

    assert search_portal("arselevr", user=AnonymousUser()).suggestion is None


@postgres_only
def test_a_misspelling_is_offered_corrected_as_a_link_to_its_search(client):
    GoalFactory(text="Flere årselever")

    page = search(client, "arselevr")

    assert 'Mente du <a href="/soeg/?q=%C3%A5rselever">årselever</a>?' in page


@postgres_only
@pytest.mark.parametrize(("goals_found", "suggestion"), [(1, "trivsel or elever"), (3, None)])
def test_a_suggestion_comes_only_when_few_results_are_found(goals_found, suggestion):
    GoalFactory(text="Flere elever")
    for _ in range(goals_found):
        GoalFactory(text="Bedre trivsel")

    assert search_portal("trivsel or elevr", user=AnonymousUser()).suggestion == suggestion


@postgres_only
def test_no_word_only_a_draft_holds_is_suggested():
    GoalFactory(text="Hemmelige årselever", status=DRAFT)
    assert SearchWord.objects.filter(word="årselever").exists()

    assert search_portal("arselevr", user=AnonymousUser()).suggestion is None


@postgres_only
def test_a_word_found_only_with_other_diacritics_is_not_offered_as_a_correction():
    GoalFactory(text="Flere årselever")

    assert search_portal("Arselever", user=AnonymousUser()).suggestion is None


@postgres_only
def test_a_search_that_finds_little_asks_two_more_queries_for_a_suggestion(
    django_assert_num_queries,
):
    GoalFactory(text="Flere årselever")

    with django_assert_num_queries(len(kinds(AnonymousUser())) + 2):
        search_portal("arselevr", user=AnonymousUser())
