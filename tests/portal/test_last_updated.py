""" "Senest opdateret" is when a public value last changed in the portal, not the date a loaded
value was given as its entry date."""

import datetime

import pytest

from indicators.models import IndicatorValue
from tests.factories import GoalTargetFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def recorded_on(value: IndicatorValue, day: datetime.date) -> None:
    """As if the value's latest change had been made on `day`."""
    latest = value.history.order_by("-history_date").first()
    IndicatorValue.history.filter(history_id=latest.history_id).update(history_date=at(day))


def test_a_value_loaded_with_a_placeholder_date_shows_when_it_reached_the_portal(client):
    target = GoalTargetFactory()
    value = IndicatorValueFactory(
        indicator=target.indicator, entered_at=at(datetime.date(2024, 1, 1))
    )
    recorded_on(value, datetime.date(2026, 3, 5))

    page = client.get(target.get_absolute_url()).text

    assert "<dd>5. marts 2026</dd>" in page
    assert "1. januar 2024" not in page


def test_a_correction_moves_the_date_on_for_the_target_and_the_series(client):
    target = GoalTargetFactory()
    value = IndicatorValueFactory(indicator=target.indicator)
    recorded_on(value, datetime.date(2026, 3, 5))
    value.value += 1
    value.save()
    recorded_on(value, datetime.date(2026, 9, 1))

    for url in (target.get_absolute_url(), target.indicator.get_absolute_url()):
        assert "<dd>1. september 2026</dd>" in client.get(url).text, url
