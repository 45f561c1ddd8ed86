"""The reporting page with several periods at once, a weight for a weighted mean, and a
number far from the period before, which the reporter confirms and the reviewer sees."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import IndicatorValue, Metric
from tests.factories import IndicatorFactory, IndicatorValueFactory


def report_url(world):
    return reverse("reporting:report", args=[world.school_a.slug])


def fields(indicator, period, **values) -> dict:
    return {f"indicator-{indicator.pk}-{period}-{name}": text for name, text in values.items()}


@pytest.fixture
def reporter(world, login):
    return login(world.users["reporter at school A"])


def test_a_reporter_sees_a_form_for_each_period_from_the_chosen_year(world, reporter):
    page = reporter.get(report_url(world), {"fra": 2020, "periode": 2023}).text

    for period in (2020, 2021, 2022, 2023):
        assert f'name="indicator-{world.indicator.pk}-{period}-value"' in page
    assert 'name="fra" value="2020"' in page
    assert page.count("Elever i 0. klasse</h3>") == 1


def test_the_span_of_periods_is_never_longer_than_the_choice_and_never_in_the_future(
    world, reporter
):
    this_year = timezone.localdate().year

    page = reporter.get(report_url(world), {"fra": 1990, "periode": 2999}).text

    shown = re.findall(r"Periode: (\d{4})</legend>", page)
    assert shown == [str(year) for year in range(this_year - 9, this_year + 1)]


def test_several_years_are_saved_at_once(world, reporter):
    data = {"fra": 2020, "periode": 2021, "action": "submit"}
    data |= fields(world.indicator, 2020, value="40", source="Elevregister")
    data |= fields(world.indicator, 2021, value="41", source="Elevregister")

    response = reporter.post(report_url(world), data, follow=True)

    assert "2 tal er sendt til godkendelse." in response.text
    stored = IndicatorValue.objects.filter(organization=world.school_a, period__lte=2021)
    assert sorted((value.period, value.value) for value in stored) == [(2020, 40), (2021, 41)]
    assert response.redirect_chain[-1][0].endswith("?fra=2020&periode=2021")


def test_one_bad_year_saves_none_and_keeps_every_typed_number(world, reporter):
    data = {"fra": 2020, "periode": 2021, "action": "submit"}
    data |= fields(world.indicator, 2020, value="40")
    data |= fields(world.indicator, 2021, value="fyrre")

    page = reporter.post(report_url(world), data).text

    assert "Der er fejl i formularen. Intet er gemt endnu." in page
    assert "Elever i 0. klasse, 2021: Skriv et tal" in page
    assert f'name="indicator-{world.indicator.pk}-2020-value" value="40"' in page
    assert not IndicatorValue.objects.filter(organization=world.school_a, period__lte=2021).exists()


def test_a_number_far_from_the_period_before_is_saved_only_when_confirmed(world, reporter):
    # School A's 38 for 2022 is stored; 80 for 2023 is more than the 25 % the metric expects.
    data = {"periode": 2023, "action": "submit"} | fields(world.indicator, 2023, value="80")

    page = reporter.post(report_url(world), data).text

    assert "Tjek tallene nedenfor. Intet er gemt endnu." in page
    assert "Tallet er 111\xa0% højere end i 2022 (38\xa0elever)." in page
    assert "Tallet er rigtigt" in page
    assert not IndicatorValue.objects.filter(organization=world.school_a, period=2023).exists()

    data |= fields(world.indicator, 2023, confirm="on")
    response = reporter.post(report_url(world), data, follow=True)

    assert "1 tal er sendt til godkendelse." in response.text
    assert IndicatorValue.objects.get(organization=world.school_a, period=2023).value == 80


def test_a_number_close_to_the_period_before_asks_nothing(world, reporter):
    data = {"periode": 2023, "action": "submit"} | fields(world.indicator, 2023, value="45")

    response = reporter.post(report_url(world), data, follow=True)

    assert "1 tal er sendt til godkendelse." in response.text


def test_the_period_before_can_be_the_one_typed_on_the_same_page(world, reporter):
    data = {"fra": 2020, "periode": 2021, "action": "draft"}
    data |= fields(world.indicator, 2020, value="40")
    data |= fields(world.indicator, 2021, value="80")

    page = reporter.post(report_url(world), data).text

    assert "Tallet er 100\xa0% højere end i 2020 (40\xa0elever)." in page
    assert not IndicatorValue.objects.filter(organization=world.school_a, period__lte=2021).exists()


def test_saving_a_stored_far_off_number_again_asks_no_second_time(world, reporter):
    IndicatorValueFactory(
        indicator=world.indicator,
        organization=world.school_a,
        period=2023,
        value=80,
        status=IndicatorValue.Status.DRAFT,
    )
    data = {"periode": 2023, "action": "submit"} | fields(
        world.indicator, 2023, value="80", revision="1"
    )

    response = reporter.post(report_url(world), data, follow=True)

    assert "1 tal er sendt til godkendelse." in response.text


@pytest.fixture
def weighted(world):
    return IndicatorFactory(
        organization=world.herning,
        name="Andel i gang med en ungdomsuddannelse",
        metric__unit="%",
        metric__measure=Metric.Measure.PERCENT,
        metric__decimals=1,
        metric__aggregation=Metric.Aggregation.WEIGHTED_MEAN,
        metric__weight_label="antal elever i årgangen",
        reporting_organizations=[world.school_a, world.school_b],
    )


def test_a_school_reports_a_weight_with_a_weighted_mean(world, reporter, weighted):
    page = reporter.get(report_url(world), {"periode": 2023}).text
    assert "Vægt (antal elever i årgangen)" in page

    data = {"periode": 2023, "action": "submit"} | fields(weighted, 2023, value="88,5")
    page = reporter.post(report_url(world), data).text
    assert "Skriv tallets vægt, så det kan indgå i gennemsnittet." in page

    data |= fields(weighted, 2023, weight="52")
    reporter.post(report_url(world), data)
    value = IndicatorValue.objects.get(indicator=weighted, organization=world.school_a)
    assert (value.value, value.weight) == (Decimal("88.5"), 52)


def test_a_weight_is_asked_only_where_it_counts(world, reporter):
    page = reporter.get(report_url(world), {"periode": 2023}).text

    assert "Vægt" not in page


def test_the_review_queue_shows_the_period_before_and_flags_a_large_change(world, login):
    IndicatorValueFactory(
        indicator=world.indicator,
        organization=world.school_a,
        period=2023,
        value=80,
        status=IndicatorValue.Status.SUBMITTED,
    )
    page = login(world.users["editor at Herning"]).get(reverse("reporting:review")).text

    assert "Perioden før" in page
    assert "38\xa0elever (2022, indsendt)" in page
    assert "Stor ændring" in page
    assert "Tallet er 111\xa0% højere end perioden før." in page
