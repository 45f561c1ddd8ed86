from decimal import Decimal

import pytest
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction

from indicators.models import (
    GoalTarget,
    Indicator,
    IndicatorValue,
    Metric,
    ReferenceFigure,
    ReferenceScope,
)
from tests.factories import (
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MetricFactory,
    MilestoneFactory,
    OrganizationFactory,
    PercentTargetFactory,
    SchoolFactory,
    StrategyFactory,
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


def test_one_indicator_carries_the_targets_of_two_strategies_on_one_series_of_values():
    herning = OrganizationFactory(name="Herning Kommune")
    indicator = IndicatorFactory(organization=herning, metric=MetricFactory())
    education = PercentTargetFactory(
        goal=GoalFactory(focus_area__strategy=StrategyFactory(owner=herning)), indicator=indicator
    )
    children = PercentTargetFactory(
        goal=GoalFactory(focus_area__strategy=StrategyFactory(owner=herning)), indicator=indicator
    )
    IndicatorValueFactory(indicator=indicator, period=2024, value=Decimal("89.5"))

    assert set(indicator.targets.all()) == {education, children}
    assert education.assessment.latest == children.assessment.latest
    assert education.assessment.latest.value == 89.5
    assert IndicatorValue.objects.count() == 1


def test_a_goal_sets_one_target_per_indicator():
    target = GoalTargetFactory()

    assert_refused_by_database(
        lambda: GoalTargetFactory(goal=target.goal, indicator=target.indicator)
    )


def test_a_goal_targets_only_indicators_of_its_own_organization():
    target = GoalTargetFactory.build(goal=GoalFactory(), indicator=IndicatorFactory())

    with pytest.raises(ValidationError) as error:
        target.full_clean()

    assert error.value.message_dict["indicator"] == [
        "Vælg en af strategiens egen organisations indikatorer."
    ]


def test_an_indicator_has_no_unit_decimals_or_period_kind_of_its_own():
    for field in ("unit", "decimals", "period_kind", "measure"):
        with pytest.raises(FieldDoesNotExist):
            Indicator._meta.get_field(field)


def test_an_indicator_bound_to_a_metric_follows_its_unit_and_period_kind():
    metric = MetricFactory(unit="%", period_kind=Metric.PeriodKind.CALENDAR_YEAR)
    herning = IndicatorFactory(metric=metric)
    hillerod = IndicatorFactory(metric=metric)

    metric.unit = "procent"
    metric.period_kind = Metric.PeriodKind.SCHOOL_YEAR
    metric.save()

    for indicator in (herning, hillerod):
        indicator.refresh_from_db()
        assert indicator.unit == "procent"
        assert indicator.period_label(2024) == "2024/25"


def test_an_indicator_cannot_use_another_organizations_own_metric():
    other = IndicatorFactory()
    indicator = IndicatorFactory.build(metric=other.metric, organization=OrganizationFactory())

    with pytest.raises(ValidationError) as error:
        indicator.full_clean()

    assert error.value.message_dict["metric"] == [
        "Vælg en fælles måling eller en af organisationens egne."
    ]


def test_the_slug_of_an_indicator_is_unique_within_its_organization():
    indicator = IndicatorFactory()

    assert_refused_by_database(
        lambda: IndicatorFactory(organization=indicator.organization, slug=indicator.slug)
    )
    IndicatorFactory(slug=indicator.slug)


def test_a_target_period_before_the_baseline_is_refused_by_the_database():
    assert_refused_by_database(lambda: GoalTargetFactory(baseline_period=2023, target_period=2020))


def test_a_target_period_equal_to_the_baseline_is_refused_with_a_danish_message():
    target = GoalTargetFactory.build(goal=GoalFactory(), baseline_period=2023, target_period=2023)

    with pytest.raises(ValidationError) as error:
        target.full_clean(exclude=["indicator"])

    assert "Målets periode skal ligge efter udgangspunktets." in str(error.value)


def test_a_target_percentage_of_120_is_refused_with_a_danish_message_next_to_the_field():
    target = PercentTargetFactory(target_value=Decimal(95))
    target.target_value = Decimal(120)

    with pytest.raises(ValidationError) as error:
        target.full_clean()

    assert error.value.message_dict["target_value"] == [
        "En procentsats skal ligge mellem 0 og 100."
    ]


def test_a_value_of_120_percent_is_refused_with_a_danish_message_next_to_the_value():
    target = PercentTargetFactory()
    value = IndicatorValueFactory.build(indicator=target.indicator, value=Decimal(120))

    with pytest.raises(ValidationError) as error:
        value.full_clean()

    assert error.value.message_dict["value"] == ["En procentsats skal ligge mellem 0 og 100."]


def test_a_negative_value_is_refused_by_the_database():
    indicator = IndicatorFactory()

    assert_refused_by_database(lambda: IndicatorValueFactory(indicator=indicator, value=-5))


def test_a_baseline_needs_both_its_period_and_its_value():
    assert_refused_by_database(lambda: GoalTargetFactory(baseline_period=2023, baseline_value=None))


def test_a_range_needs_an_upper_bound_not_below_the_lower():
    assert_refused_by_database(
        lambda: GoalTargetFactory(direction=GoalTarget.Direction.RANGE, target_value_max=None)
    )
    assert_refused_by_database(
        lambda: GoalTargetFactory(
            direction=GoalTarget.Direction.RANGE, target_value=10, target_value_max=5
        )
    )


def test_only_a_range_has_an_upper_bound():
    assert_refused_by_database(lambda: GoalTargetFactory(target_value_max=Decimal(2000)))


def test_percentages_cannot_be_summed_across_organizations():
    assert_refused_by_database(lambda: MetricFactory(aggregation=Metric.Aggregation.SUM))


@pytest.mark.parametrize(
    ("measure", "decimals", "value", "message"),
    [
        ("count", 0, "2.5", "Et antal skal være et helt tal."),
        ("quantity", 0, "1384.5", "Værdien skal være et helt tal."),
        ("quantity", 1, "25.25", "Værdien må højst have 1 decimal."),
        ("quantity", 2, "25.255", "Værdien må højst have 2 decimaler."),
        ("quantity", 0, "1000000000000", "Tallet er for stort."),
        ("percent", 1, "100.5", "En procentsats skal ligge mellem 0 og 100."),
        ("quantity", 1, "-1", "Værdien kan ikke være negativ."),
    ],
)
def test_values_are_checked_against_the_metrics_measure_and_decimals(
    measure, decimals, value, message
):
    indicator = IndicatorFactory.build(metric__measure=measure, metric__decimals=decimals)

    with pytest.raises(ValidationError) as error:
        indicator.validate_value(Decimal(value))

    assert error.value.messages == [message]


@pytest.mark.parametrize(
    ("measure", "decimals", "value"),
    [("count", 0, "13"), ("quantity", 1, "25.0"), ("quantity", 1, "24.5"), ("percent", 0, "100")],
)
def test_values_that_fit_the_metric_are_accepted(measure, decimals, value):
    IndicatorFactory.build(metric__measure=measure, metric__decimals=decimals).validate_value(
        Decimal(value)
    )


def test_a_milestone_must_lie_between_baseline_and_target():
    milestone = MilestoneFactory.build(target=GoalTargetFactory(), period=2029)

    with pytest.raises(ValidationError) as error:
        milestone.full_clean()

    assert error.value.message_dict["period"] == ["Et delmål skal ligge før målets periode."]


def test_a_school_year_period_is_labelled_with_both_years():
    indicator = IndicatorFactory.build(metric__period_kind=Metric.PeriodKind.SCHOOL_YEAR)

    assert indicator.period_label(2024) == "2024/25"
    assert indicator.period_label(1999) == "1999/00"


def test_a_succeeded_strategys_target_is_judged_on_the_values_of_its_own_years():
    old = GoalTargetFactory(goal__focus_area__strategy__end_year=2028)
    strategy = old.goal.strategy
    newer = StrategyFactory(owner=strategy.owner, replaces=strategy, start_year=2028)
    new = GoalTargetFactory(
        goal=GoalFactory(focus_area__strategy=newer), indicator=old.indicator, target_period=2032
    )
    for period, value in ((2027, 1700), (2030, 1100)):
        IndicatorValueFactory(indicator=old.indicator, period=period, value=value)

    old = GoalTarget.objects.with_progress().get(pk=old.pk)
    new = GoalTarget.objects.with_progress().get(pk=new.pk)
    assert old.assessment.latest.period == 2027
    assert new.assessment.latest.period == 2030


@pytest.mark.django_db
def test_an_indicator_and_a_metric_get_addresses_from_their_names():
    first = IndicatorFactory(name="Årselever på HEG", slug="")
    second = IndicatorFactory(organization=first.organization, name="Årselever på HEG", slug="")

    assert (first.slug, second.slug) == ("aarselever-paa-heg", "aarselever-paa-heg-2")
    assert MetricFactory(name="Andel i uddannelse", slug="").slug == "andel-i-uddannelse"


@pytest.mark.parametrize(
    ("scope", "with_organization", "code"),
    [
        (ReferenceScope.ORGANIZATION, False, "organization_missing"),
        (ReferenceScope.COUNTRY, True, "organization_not_allowed"),
    ],
)
def test_a_reference_figure_names_an_organization_only_when_it_is_the_organization_s_own(
    scope, with_organization, code
):
    figure = ReferenceFigure(
        metric=MetricFactory(),
        label="Herning Kommune",
        scope=scope,
        organization=OrganizationFactory() if with_organization else None,
        country="DK",
        period=2014,
        value=Decimal("77.7"),
    )

    with pytest.raises(ValidationError) as raised:
        figure.full_clean()

    assert raised.value.error_dict["organization"][0].code == code
