from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import Indicator, IndicatorValue
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    PercentIndicatorFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_second_value_for_the_same_indicator_period_and_organization_is_refused():
    value = IndicatorValueFactory(period=2024)

    assert_refused_by_database(
        lambda: IndicatorValueFactory(
            indicator=value.indicator, organization=value.organization, period=2024
        )
    )


def test_the_same_period_may_have_one_value_per_organization():
    value = IndicatorValueFactory(period=2024)
    school = SchoolFactory(parent=value.organization)

    IndicatorValueFactory(indicator=value.indicator, organization=school, period=2024)

    assert value.indicator.values.count() == 2


def test_a_duplicate_value_gets_a_danish_message_from_validation():
    value = IndicatorValueFactory(period=2024)
    duplicate = IndicatorValue(
        indicator=value.indicator, organization=value.organization, period=2024, value=1
    )

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert "Der findes allerede en værdi for denne periode og organisation." in str(error.value)


def test_a_target_period_before_the_baseline_is_refused_by_the_database():
    assert_refused_by_database(lambda: IndicatorFactory(baseline_period=2023, target_period=2020))


def test_a_target_period_equal_to_the_baseline_is_refused_with_a_danish_message():
    indicator = IndicatorFactory.build(baseline_period=2023, target_period=2023)

    with pytest.raises(ValidationError) as error:
        indicator.full_clean(exclude=["goal"])

    assert "Målets periode skal ligge efter udgangspunktets." in str(error.value)


def test_a_target_percentage_of_120_is_refused_by_the_database():
    assert_refused_by_database(lambda: PercentIndicatorFactory(target_value=Decimal(120)))


def test_a_value_of_120_percent_is_refused_with_a_danish_message_next_to_the_value():
    indicator = PercentIndicatorFactory()
    value = IndicatorValueFactory.build(indicator=indicator, value=Decimal(120))

    with pytest.raises(ValidationError) as error:
        value.full_clean()

    assert error.value.message_dict["value"] == ["En procentsats skal ligge mellem 0 og 100."]


def test_a_negative_value_is_refused_by_the_database():
    indicator = IndicatorFactory()

    assert_refused_by_database(lambda: IndicatorValueFactory(indicator=indicator, value=-5))


def test_a_baseline_needs_both_its_period_and_its_value():
    assert_refused_by_database(lambda: IndicatorFactory(baseline_period=2023, baseline_value=None))


def test_a_range_needs_an_upper_bound_not_below_the_lower():
    assert_refused_by_database(
        lambda: IndicatorFactory(direction=Indicator.Direction.RANGE, target_value_max=None)
    )
    assert_refused_by_database(
        lambda: IndicatorFactory(
            direction=Indicator.Direction.RANGE, target_value=10, target_value_max=5
        )
    )


def test_only_a_range_has_an_upper_bound():
    assert_refused_by_database(lambda: IndicatorFactory(target_value_max=Decimal(2000)))


def test_percentages_cannot_be_summed_across_organizations():
    assert_refused_by_database(
        lambda: PercentIndicatorFactory(aggregation=Indicator.Aggregation.SUM)
    )


@pytest.mark.parametrize(
    ("measure", "decimals", "value", "message"),
    [
        ("count", 0, "2.5", "Et antal skal være et helt tal."),
        ("quantity", 0, "1384.5", "Værdien skal være et helt tal."),
        ("quantity", 1, "25.25", "Værdien må højst have 1 decimaler."),
        ("percent", 1, "100.5", "En procentsats skal ligge mellem 0 og 100."),
        ("quantity", 1, "-1", "Værdien kan ikke være negativ."),
    ],
)
def test_values_are_checked_against_the_indicators_measure_and_decimals(
    measure, decimals, value, message
):
    indicator = IndicatorFactory.build(measure=measure, decimals=decimals)

    with pytest.raises(ValidationError) as error:
        indicator.validate_value(Decimal(value))

    assert error.value.messages == [message]


@pytest.mark.parametrize(
    ("measure", "decimals", "value"),
    [("count", 0, "13"), ("quantity", 1, "25.0"), ("quantity", 1, "24.5"), ("percent", 0, "100")],
)
def test_values_that_fit_the_indicator_are_accepted(measure, decimals, value):
    IndicatorFactory.build(measure=measure, decimals=decimals).validate_value(Decimal(value))


def test_a_milestone_must_lie_between_baseline_and_target():
    milestone = MilestoneFactory.build(indicator=IndicatorFactory(), period=2029)

    with pytest.raises(ValidationError) as error:
        milestone.full_clean()

    assert error.value.message_dict["period"] == ["Et delmål skal ligge før målets periode."]


def test_a_school_year_period_is_labelled_with_both_years():
    indicator = IndicatorFactory.build(period_kind=Indicator.PeriodKind.SCHOOL_YEAR)

    assert indicator.period_label(2024) == "2024/25"
    assert indicator.period_label(1999) == "1999/00"
