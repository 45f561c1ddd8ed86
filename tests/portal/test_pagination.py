"""Long public lists come in pages: the shared navigation (includes/pagination.html), the
page read from `side`, and the pages that use them."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from indicators.models import TargetAssessment
from indicators.progress import Status
from strategyportal.paging import page_of
from tests.factories import GoalFactory, GoalTargetFactory, StrategyFactory, ThemeFactory


def rendered(query: str = "", **context) -> str:
    request = RequestFactory().get("/liste/" + query)
    page = page_of(request, range(1, 101), 10)
    return render_to_string("includes/pagination.html", {"page": page, **context}, request=request)


def test_page_of_reads_the_page_from_side():
    assert page_of(RequestFactory().get("/", {"side": "3"}), range(100), 10).number == 3


def test_page_of_gives_the_first_page_for_a_number_that_is_none():
    assert page_of(RequestFactory().get("/", {"side": "tre"}), range(100), 10).number == 1


def test_page_of_gives_the_last_page_for_a_number_past_the_end():
    assert page_of(RequestFactory().get("/", {"side": "99"}), range(100), 10).number == 10


def test_the_navigation_marks_the_current_page_and_says_where_one_is():
    html = rendered("?side=5")

    assert '<nav class="pagination" aria-label="Sider">' in html
    assert 'href="?side=5" class="button current-page" aria-current="page"' in html
    assert "Side 5 af 10" in html
    assert 'href="?side=4" class="button button-arrow button-previous"' in html
    assert 'href="?side=6" class="button button-arrow button-next"' in html


def test_the_navigation_links_the_ends_and_the_neighbours_and_leaves_out_the_rest():
    html = rendered("?side=5")

    linked = [number for number in range(1, 11) if f'href="?side={number}"' in html]
    assert linked == [1, 4, 5, 6, 10]
    assert html.count("…") == 2


def test_links_keep_the_filters_and_change_only_the_page():
    html = rendered("?country=SE&side=2&status=on_track")

    assert 'href="?country=SE&amp;side=3&amp;status=on_track"' in html
    assert "side=2&amp;side" not in html


def test_links_end_with_the_anchor_given():
    assert 'href="?side=2#tabel"' in rendered(anchor="#tabel")


def test_the_first_page_has_no_link_backwards():
    html = rendered()

    assert "button-previous hidden" in html
    assert "?side=0" not in html


def test_the_last_page_has_no_link_forwards():
    html = rendered("?side=10")

    assert "button-next hidden" in html
    assert "?side=11" not in html


def test_nothing_is_rendered_for_a_single_page():
    request = RequestFactory().get("/liste/")
    page = page_of(request, range(5), 10)

    html = render_to_string("includes/pagination.html", {"page": page}, request=request)

    assert html.strip() == ""


def strategies(count: int, **owner) -> list:
    """`count` published strategies of as many organizations, in the list's order."""
    return [
        StrategyFactory(owner__name=f"Kommune {i:02}", title=f"Strategi {i:02}", **owner)
        for i in range(count)
    ]


def strategy_list(client, **params) -> str:
    return client.get(reverse("portal:strategies"), params).text


@pytest.mark.django_db
def test_the_strategy_list_shows_25_to_a_page_and_counts_them_all(client):
    strategies(30)

    page = strategy_list(client)

    assert "30 strategier, her 1–25" in page
    assert "Strategi 24" in page
    assert "Strategi 25" not in page
    assert 'aria-label="Side 2"' in page


@pytest.mark.django_db
def test_the_second_page_shows_the_next_strategies(client):
    strategies(30)

    page = strategy_list(client, side=2)

    assert "30 strategier, her 26–30" in page
    assert "Strategi 24" not in page
    assert "Strategi 25" in page
    assert "Strategi 29" in page


@pytest.mark.django_db
def test_page_links_of_the_strategy_list_keep_the_filters(client):
    strategies(30, owner__country="SE")
    StrategyFactory(title="Dansk strategi")

    page = strategy_list(client, country="SE", year=2025)

    assert "30 strategier" in page
    assert "Dansk strategi" not in page
    assert 'href="?country=SE&amp;year=2025&amp;side=2#resultater"' in page


@pytest.mark.django_db
def test_a_page_past_the_end_of_the_strategy_list_shows_the_last(client):
    strategies(30)

    page = strategy_list(client, side=9)

    assert "her 26–30" in page
    assert "Strategi 29" in page


@pytest.mark.django_db
def test_a_short_strategy_list_has_no_page_navigation(client):
    strategies(3)

    page = strategy_list(client)

    assert "3 strategier</p>" in page
    assert 'class="pagination"' not in page


@pytest.mark.django_db
def test_the_statuses_counted_are_those_of_the_strategies_on_the_page(client):
    listed = strategies(30)
    GoalTargetFactory(goal__focus_area__strategy=listed[27])
    TargetAssessment.objects.update(status=Status.MOVING_AWAY)

    # As a tag beside a strategy, not as a choice of the filter.
    assert "1 går den forkerte vej</span>" not in strategy_list(client)
    assert "1 går den forkerte vej</span>" in strategy_list(client, side=2)


def working_on(theme, count: int, country: str = "DK") -> list:
    """`count` organizations with a published goal on `theme`, in the page's order."""
    goals = [
        GoalFactory(
            focus_area__strategy__owner__name=f"Kommune {i:02}",
            focus_area__strategy__owner__country=country,
        )
        for i in range(count)
    ]
    for goal in goals:
        goal.themes.add(theme)
    return [goal.strategy.owner for goal in goals]


def theme_page(client, theme, **params) -> str:
    return client.get(theme.get_absolute_url(), params).text


@pytest.mark.django_db
def test_the_theme_page_shows_ten_organizations_to_a_page(client):
    theme = ThemeFactory()
    working_on(theme, 12)

    first, second = theme_page(client, theme), theme_page(client, theme, side=2)

    assert "12 organisationer arbejder med temaet, her 1–10" in first
    assert "Kommune 09" in first
    assert "Kommune 10" not in first
    assert "Kommune 09" not in second
    assert "Kommune 11" in second


@pytest.mark.django_db
def test_the_theme_page_keeps_the_country_in_its_page_links(client):
    theme = ThemeFactory()
    working_on(theme, 12, country="SE")
    working_on(theme, 1)

    page = theme_page(client, theme, country="SE")

    assert "12 organisationer" in page
    assert 'href="?country=SE&amp;side=2#goals-on-theme"' in page


@pytest.mark.django_db
def test_the_theme_page_shows_each_targets_stored_status(client):
    theme = ThemeFactory()
    target = GoalTargetFactory()
    target.goal.themes.add(theme)
    TargetAssessment.objects.update(status=Status.MOVING_AWAY, progress=40)

    page = theme_page(client, theme)

    assert target.name in page
    assert "Går den forkerte vej" in page
    assert 'value="40"' in page


@pytest.mark.django_db
def test_a_target_without_a_stored_status_is_assessed_when_the_theme_page_meets_it(client):
    theme = ThemeFactory()
    target = GoalTargetFactory()
    target.goal.themes.add(theme)
    TargetAssessment.objects.all().delete()

    page = theme_page(client, theme)

    assert target.name in page
    assert TargetAssessment.objects.filter(target=target).exists()
