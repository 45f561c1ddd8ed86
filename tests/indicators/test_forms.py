import re
from decimal import Decimal

import pytest
from django.utils import translation

from indicators.forms import ValueForm, parse_number
from indicators.models import Metric
from tests.factories import IndicatorFactory, IndicatorValueFactory


@pytest.mark.parametrize(
    ("text", "language", "number"),
    [
        ("1384", "da", "1384"),
        ("1.384", "da", "1384"),
        ("1.384,5", "da", "1384.5"),
        ("93,5", "da", "93.5"),
        ("93.5", "da", "93.5"),
        ("1 384", "sv", "1384"),
        ("1\xa0384,25", "sv", "1384.25"),
        ("1,384", "en", "1384"),
        ("1,384.5", "en", "1384.5"),
        ("93.5", "en", "93.5"),
        ("-5", "da", "-5"),
    ],
)
def test_numbers_are_read_the_way_the_language_writes_them(text, language, number):
    assert parse_number(text, language) == Decimal(number)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("abc", "da"),
        ("1,2.3", "da"),
        ("1.2,3", "en"),
        ("", "da"),
        ("NaN", "da"),
        ("Infinity", "en"),
    ],
)
def test_what_is_not_a_number_is_refused(text, language):
    with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
        parse_number(text, language)


def form_options(saved):
    return {
        "indicator": saved.indicator,
        "period": saved.period,
        "organization_id": saved.organization_id,
        "current": saved,
    }


def percent_value(**fields):
    indicator = IndicatorFactory(
        metric__unit="%", metric__measure=Metric.Measure.PERCENT, metric__decimals=1
    )
    return IndicatorValueFactory(indicator=indicator, value=Decimal("89.5"), **fields)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("da", "89,5"), ("sv", "89,5"), ("en", "89.5")])
def test_an_unbound_form_shows_the_saved_value_the_language_s_way(language, shown):
    saved = percent_value(note="Foreløbigt", source="UU", revision=3)

    with translation.override(language):
        form = ValueForm(**form_options(saved))
        assert form["value"].value() == shown
    assert (form["note"].value(), form["source"].value(), form["revision"].value()) == (
        "Foreløbigt",
        "UU",
        3,
    )


@pytest.mark.django_db
def test_a_form_with_data_passed_positionally_shows_what_was_posted():
    saved = percent_value()
    prefix = f"indicator-{saved.indicator.pk}-{saved.period}"

    form = ValueForm({f"{prefix}-value": "91,2", f"{prefix}-revision": "1"}, **form_options(saved))

    assert form.is_valid(), form.errors
    assert form["value"].value() == "91,2"
    assert form.cleaned_data["value"] == Decimal("91.2")
    assert form.cleaned_data["revision"] == 1


@pytest.mark.django_db
def test_a_form_with_no_data_is_unbound_even_when_none_is_passed():
    saved = percent_value()

    form = ValueForm(None, **form_options(saved))

    assert not form.is_bound
    assert form["value"].value() == "89,5"
