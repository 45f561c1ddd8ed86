import re

import pytest
from django.template import Context, Template
from django.utils import translation

from indicators.progress import Direction, Point, Status, Target, assess
from indicators.wording import format_number, format_quantity, format_rate, summarize

HEG_STUDENTS = Target(
    direction=Direction.AT_LEAST,
    value=1800,
    period=2028,
    baseline=Point(2023, 1384),
    stated_growth=5,
)


def heg_summary(*values):
    assessment = assess(HEG_STUDENTS, [Point(period, value) for period, value in values])
    return summarize(assessment, unit="årselever", decimals=0, period_kind="calendar_year")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("da", "1.800"), ("sv", "1\xa0800"), ("en", "1,800")],
)
def test_numbers_are_written_the_way_each_language_writes_them(language, expected):
    with translation.override(language):
        assert format_number(1800) == expected


def test_danish_decimals_use_a_comma_and_keep_the_indicators_precision():
    with translation.override("da"):
        assert format_quantity(25, "m² pr. elev", 1) == "25,0\xa0m² pr. elev"
        assert format_quantity(95, "%", 0) == "95\xa0%"
        assert format_rate(5.397) == "5,4\xa0%"
        assert format_rate(5) == "5\xa0%"


def test_english_writes_percent_without_a_space():
    with translation.override("en"):
        assert format_quantity(95, "%", 0) == "95%"


def test_a_rounded_zero_has_no_minus_sign():
    with translation.override("da"):
        assert format_number(-0.2) == "0"


def test_the_summary_of_hegs_baseline_only_says_there_is_not_enough_data_yet():
    with translation.override("da"):
        assert heg_summary((2023, 1384)) == (
            "1.384\xa0årselever i 2023. Målet er mindst 1.800\xa0årselever i 2028. "
            "Der er endnu ikke tal nok til at vurdere udviklingen."
        )


def test_the_summary_gives_the_year_the_target_is_reached_at_this_pace():
    with translation.override("da"):
        assert heg_summary((2024, 1500)) == (
            "1.500\xa0årselever i 2024. Målet er mindst 1.800\xa0årselever i 2028. "
            "Med den hidtidige udvikling nås målet i 2027."
        )


def test_the_summary_says_when_a_slow_pace_reaches_the_target_too_late():
    with translation.override("da"):
        assert heg_summary((2024, 1400)).endswith(
            "Med den hidtidige udvikling nås målet først i 2046."
        )


def test_the_summary_says_when_the_development_goes_the_wrong_way():
    with translation.override("da"):
        assert heg_summary((2024, 1350)).endswith(
            "Udviklingen går væk fra målet, så med den hidtidige udvikling nås det ikke."
        )


def test_the_summary_says_a_missed_deadline_plainly():
    with translation.override("da"):
        assert heg_summary((2026, 1600), (2029, 1790)).endswith(
            "Målet blev ikke nået i 2028. Med den hidtidige udvikling nås målet først i 2030."
        )


def test_the_summary_of_an_indicator_without_values_states_the_target():
    target = Target(direction=Direction.AT_MOST, value=25, period=2028)

    with translation.override("da"):
        summary = summarize(
            assess(target, []), unit="m² pr. elev", decimals=1, period_kind="calendar_year"
        )

    assert summary == "Der er endnu ingen godkendte tal. Målet er højst 25,0\xa0m² pr. elev i 2028."


def test_the_summary_uses_school_years_for_a_school_year_indicator():
    target = Target(direction=Direction.AT_LEAST, value=95, period=2027, baseline=Point(2023, 85))
    assessment = assess(target, [Point(2024, 90)])

    with translation.override("da"):
        summary = summarize(assessment, unit="%", decimals=0, period_kind="school_year")

    assert summary.startswith("90\xa0% i 2024/25. Målet er mindst 95\xa0% i 2027/28.")


def test_the_summary_of_a_met_target_says_so():
    with translation.override("da"):
        assert heg_summary((2025, 1810)).endswith("Målet er nået.")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("da", "1 er på rette vej, 2 er ikke nået og 3 har for få tal."),
        ("sv", "1 är på rätt väg, 2 är inte nådda och 3 har för få värden."),
        ("en", "1 is on track, 2 were not reached and 3 have too little data."),
    ],
)
def test_counts_by_status_read_as_a_sentence_in_each_language(language, expected):
    counts = {
        Status.TARGET_MET: 0,
        Status.ON_TRACK: 1,
        Status.MISSED: 2,
        Status.NOT_ENOUGH_DATA: 3,
    }
    template = Template("{% load formatting %}{% status_counts counts %}")

    with translation.override(language):
        html = template.render(Context({"counts": counts}))

    assert re.sub(r"<[^>]+>", "", html) == expected
    assert html.count('<span class="badge') == 3
    # The full stop never wraps onto a line of its own.
    assert re.search(
        r'<span class="portal-nowrap"><span class="badge[^>]*>[^<]+</span>\.</span>$', html
    )
