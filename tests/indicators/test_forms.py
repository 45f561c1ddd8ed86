from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from indicators import spreadsheets, uploads
from indicators.forms import NotANumber, ValueForm, for_input, parse_number, read_number
from indicators.models import Metric
from tests.factories import IndicatorFactory, IndicatorValueFactory

# How each language's readers are told to write a number they wrote in a way that reads two
# ways (the Danish source text; the examples are the reader's own).
TWO_WAYS = {
    "da": "Skriv decimaler med komma (1,5) og tusinder med punktum (1.500).",
    "sv": "Skriv decimaler med komma (1,5) og tusinder med mellemrum (1\xa0500).",
    "en": "Skriv decimaler med punktum (1.5) og tusinder med komma (1,500).",
}


def two_ways(text, language):
    return f"»{text}« kan læses på to måder. {TWO_WAYS[language]}"


DIGITS_0_TO_9 = {
    "da": "Skriv tallet med cifrene 0–9, fx 1.384 eller 93,5.",
    "sv": "Skriv tallet med cifrene 0–9, fx 1\xa0384 eller 93,5.",
    "en": "Skriv tallet med cifrene 0–9, fx 1,384 eller 93.5.",
}
NOT_A_NUMBER = {
    "da": "Skriv et tal, fx 1.384 eller 93,5.",
    "sv": "Skriv et tal, fx 1\xa0384 eller 93,5.",
    "en": "Skriv et tal, fx 1,384 eller 93.5.",
}


# The table: each language's decimal mark is its only one; spaces, Danish points and
# English commas group thousands, in groups of three; any other point or comma is refused.
@pytest.mark.parametrize(
    ("language", "text", "read"),
    [
        ("da", "1.800", Decimal("1800")),
        ("da", "1,800", Decimal("1.8")),
        ("da", "1 800", Decimal("1800")),
        ("da", "90,3", Decimal("90.3")),
        ("da", "90.3", two_ways("90.3", "da")),
        ("da", "1.5", two_ways("1.5", "da")),
        ("da", "1,5", Decimal("1.5")),
        ("da", "-0", Decimal("0")),
        ("da", "١٢٣", DIGITS_0_TO_9["da"]),
        ("sv", "1.800", two_ways("1.800", "sv")),
        ("sv", "1,800", Decimal("1.8")),
        ("sv", "1 800", Decimal("1800")),
        ("sv", "90,3", Decimal("90.3")),
        ("sv", "90.3", two_ways("90.3", "sv")),
        ("sv", "1.5", two_ways("1.5", "sv")),
        ("sv", "1,5", Decimal("1.5")),
        ("sv", "-0", Decimal("0")),
        ("sv", "١٢٣", DIGITS_0_TO_9["sv"]),
        ("en", "1.800", Decimal("1.8")),
        ("en", "1,800", Decimal("1800")),
        ("en", "1 800", Decimal("1800")),
        ("en", "90,3", two_ways("90,3", "en")),
        ("en", "90.3", Decimal("90.3")),
        ("en", "1.5", Decimal("1.5")),
        ("en", "1,5", two_ways("1,5", "en")),
        ("en", "-0", Decimal("0")),
        ("en", "١٢٣", DIGITS_0_TO_9["en"]),
    ],
)
def test_each_language_reads_its_own_numbers_and_refuses_what_reads_two_ways(language, text, read):
    if isinstance(read, Decimal):
        number = parse_number(text, language)
        assert number == read
        assert not number.is_signed()  # never -0
    else:
        with pytest.raises(NotANumber) as refused:
            parse_number(text, language)
        assert refused.value.message == read


@pytest.mark.parametrize(
    ("text", "language", "number"),
    [
        ("1384", "da", "1384"),
        ("1.384", "da", "1384"),
        ("1.384,5", "da", "1384.5"),
        ("12.345.678,5", "da", "12345678.5"),
        ("1\xa0384", "da", "1384"),
        ("  93,5 ", "da", "93.5"),
        ("1 384", "sv", "1384"),
        ("1\xa0384,25", "sv", "1384.25"),
        ("1\u202f384", "sv", "1384"),
        ("1,384", "en", "1384"),
        ("1,384.5", "en", "1384.5"),
        ("12,345,678.5", "en", "12345678.5"),
        ("93.5", "en", "93.5"),
        ("-5", "da", "-5"),
        ("-0,0", "da", "0.0"),
    ],
)
def test_numbers_are_read_the_way_the_language_writes_them(text, language, number):
    assert parse_number(text, language) == Decimal(number)


@pytest.mark.parametrize(
    ("text", "language", "message"),
    [
        ("93.5", "da", two_ways("93.5", "da")),
        ("1.5000", "da", two_ways("1.5000", "da")),
        ("1.80", "da", two_ways("1.80", "da")),
        ("1,800,000", "da", two_ways("1,800,000", "da")),
        ("1,2.3", "da", two_ways("1,2.3", "da")),
        ("12.345.678,5", "sv", two_ways("12.345.678,5", "sv")),
        ("1.2,3", "en", two_ways("1.2,3", "en")),
        ("1,5000", "en", two_ways("1,5000", "en")),
        ("１２３", "da", DIGITS_0_TO_9["da"]),  # full-width digits
        ("abc", "da", NOT_A_NUMBER["da"]),
        ("", "da", NOT_A_NUMBER["da"]),
        ("NaN", "da", NOT_A_NUMBER["da"]),
        ("Infinity", "en", NOT_A_NUMBER["en"]),
        ("1e5", "en", NOT_A_NUMBER["en"]),
        ("1 80", "sv", NOT_A_NUMBER["sv"]),
        ("90 %", "da", NOT_A_NUMBER["da"]),
    ],
)
def test_what_is_not_a_number_is_refused_with_how_to_write_it(text, language, message):
    with pytest.raises(NotANumber) as refused:
        parse_number(text, language)

    assert refused.value.message == message
    assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize("language", ["da", "sv", "en"])
@given(number=st.decimals(min_value=-(10**12) + 1, max_value=10**12 - 1, places=4, allow_nan=False))
def test_a_number_shown_in_a_box_is_read_back_as_itself(language, number):
    # Grouped the reader's way, a Swedish no-break space included.
    with translation.override(language):
        shown = for_input(number)
        assert read_number(shown) == number


@pytest.mark.parametrize(
    ("language", "stored", "decimals", "shown"),
    [
        ("da", "1384.5000", None, "1.384,5"),
        ("sv", "1384.5000", None, "1\xa0384,5"),
        ("en", "1384.5000", None, "1,384.5"),
        ("da", "1800.0000", 0, "1.800"),
        ("da", "25.0000", 1, "25,0"),
        # A decimal more than the metric's is shown, so that saving unchanged keeps it.
        ("da", "90.3500", 1, "90,35"),
        ("da", "-0.0000", None, "0"),
    ],
)
def test_a_box_shows_a_number_the_reader_s_way_with_its_decimals(language, stored, decimals, shown):
    with translation.override(language):
        assert for_input(Decimal(stored), decimals) == shown


def test_a_form_reads_numbers_in_the_active_language():
    with translation.override("en"):
        assert read_number("1,800") == 1800
        with pytest.raises(ValidationError) as refused:
            read_number("90,3")
    assert refused.value.messages == [
        "“90,3” can be read in two ways. Write decimals with a point (1.5) and thousands "
        "with a comma (1,500)."
    ]
    assert refused.value.code == "ambiguous"


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


def test_an_upload_reads_numbers_written_as_text_by_the_same_rule():
    content = "\n".join(
        [
            "organisation;indikator;periode;værdi;note;kilde",
            "skole-a;herning/elever;2023;1.800;;",
            "skole-a;herning/elever;2024;1.5;;",
        ]
    ).encode()

    grouped, ambiguous = uploads.rows_read(spreadsheets.read(content, "tal.csv"))

    assert grouped.value == "1800"
    assert ambiguous.read_errors["value"] == [two_ways("1.5", "da")]
