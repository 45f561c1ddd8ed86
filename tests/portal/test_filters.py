import pytest
from django.urls import reverse

from municipalities.models import Organization
from tests.factories import (
    GoalTargetFactory,
    IndicatorValueFactory,
    NetworkFactory,
    OrganizationFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def titles(client, **params) -> str:
    return client.get(reverse("portal:strategies"), params).text


@pytest.fixture
def strategies():
    herning = OrganizationFactory(name="Herning Kommune")
    heg = OrganizationFactory(name="HEG", kind=Organization.Kind.INSTITUTION)
    nitus = NetworkFactory(name="Nitus")
    return {
        "herning": StrategyFactory(
            owner=herning, title="Børn og læring", start_year=None, end_year=None
        ),
        "heg": StrategyFactory(owner=heg, title="Strategi 2028", start_year=2023, end_year=2028),
        "nitus": StrategyFactory(owner=nitus, title="Modellkommun", start_year=2021, end_year=2022),
    }


def test_the_list_shows_every_published_strategy_with_a_count(client, strategies):
    page = titles(client)

    assert "3 strategier" in page
    for strategy in strategies.values():
        assert strategy.title in page


def test_filter_by_country(client, strategies):
    page = titles(client, country="SE")

    assert "Modellkommun" in page
    assert "Strategi 2028" not in page


def test_filter_by_kind_of_organization(client, strategies):
    page = titles(client, kind="institution")

    assert "Strategi 2028" in page
    assert "Børn og læring" not in page


def test_filter_by_organization(client, strategies):
    page = titles(client, organization=strategies["herning"].owner.pk)

    assert "1 strategi" in page
    assert "Børn og læring" in page


def test_filter_by_year_leaves_out_strategies_without_a_period(client, strategies):
    page = titles(client, year=2025)

    assert "Strategi 2028" in page
    assert "Modellkommun" not in page
    assert "Børn og læring" not in page


def test_filter_by_status_keeps_strategies_with_such_a_target(client, strategies):
    target = GoalTargetFactory(goal__focus_area__strategy=strategies["heg"])
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=1500)

    page = titles(client, status="on_track")

    assert "Strategi 2028" in page
    assert "Modellkommun" not in page


def test_a_bad_year_gets_a_message_next_to_the_field(client, strategies):
    page = titles(client, year="tyve")

    assert "form-error-message" in page
    assert 'aria-invalid="true"' in page
