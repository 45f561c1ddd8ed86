"""`manage.py generate_national_data`: an illustrative national data set, built at a tiny size
here (2 Danish and 1 Swedish municipality, 2 schools each, 2 years)."""

import math
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from goals.models import FocusArea, Goal, Strategy, Theme
from indicators.models import GoalTarget, Indicator, IndicatorValue, Metric
from indicators.progress import Status
from municipalities.content_version import content_version
from municipalities.models import Organization
from strategyportal.management.commands.generate_national_data import PREFIX
from tests.factories import ReportingRoundFactory

pytestmark = pytest.mark.django_db

TINY = ("--municipalities-dk", "2", "--municipalities-se", "1", "--schools", "2")
LAST = timezone.localdate().year - 1
# Each municipality: 45 indicators of its own with one value a year, and 3 its 2 schools report.
VALUES_A_YEAR = 3 * (45 + 3 * 2)


def generate(*options: str, years: str | None = "2") -> str:
    output = StringIO()
    size = ("--years", years) if years else ()
    call_command("generate_national_data", *TINY, *size, *options, stdout=output)
    return output.getvalue()


def generated_organizations():
    return Organization.objects.filter(slug__startswith=PREFIX)


def test_it_builds_the_requested_size():
    output = generate()

    municipalities = generated_organizations().filter(kind=Organization.Kind.MUNICIPALITY)
    assert municipalities.filter(country="DK").count() == 2
    assert municipalities.filter(country="SE", language="sv").count() == 1
    schools = generated_organizations().filter(kind=Organization.Kind.INSTITUTION)
    assert schools.count() == 6
    assert set(schools.values_list("parent", flat=True)) == set(
        municipalities.values_list("pk", flat=True)
    )
    assert schools.filter(country="SE", language="sv").count() == 2
    assert Strategy.objects.public().filter(owner__in=municipalities).count() == 3
    assert FocusArea.objects.count() == 3 * 6
    assert Goal.objects.count() == 3 * 6 * 4
    assert Indicator.objects.count() == GoalTarget.objects.count() == 3 * 48
    assert not GoalTarget.objects.filter(goal__strategy__owner=None).exists()
    assert Metric.objects.shared().count() == 2 * 48
    assert IndicatorValue.objects.count() == 2 * VALUES_A_YEAR
    assert set(IndicatorValue.objects.values_list("period", flat=True)) == {LAST - 1, LAST}
    assert "306 values" in output
    assert "built" in output.lower()


def test_schools_report_three_shared_metrics_that_make_the_municipalitys_series():
    generate()

    reported = Indicator.objects.filter(reporting_organizations__isnull=False).distinct()
    assert reported.count() == 3 * 3
    aggregations = set(reported.values_list("metric__aggregation", flat=True))
    assert aggregations == {"sum", "mean", "weighted_mean"}
    for indicator in reported.with_series():
        assert indicator.metric.is_shared
        schools = set(indicator.organization.children.all())
        assert set(indicator.reporting_organizations.all()) == schools
        assert not indicator.values.filter(organization=indicator.organization).exists()
        by_period = {}
        for value in indicator.values.all():
            by_period.setdefault(value.period, []).append(value)
        for point in indicator.series:
            values = by_period[point.period]
            numbers = [float(value.value) for value in values]
            if indicator.aggregation == "sum":
                expected = sum(numbers)
            elif indicator.aggregation == "mean":
                expected = sum(numbers) / len(numbers)
            else:
                weights = [float(value.weight) for value in values]
                expected = sum(n * w for n, w in zip(numbers, weights, strict=True)) / sum(weights)
            assert math.isclose(point.value, expected)


def test_everything_generated_is_marked_illustrative():
    generate()

    assert IndicatorValue.objects.exists()
    assert not IndicatorValue.objects.filter(is_illustrative=False).exists()
    assert not IndicatorValue.objects.exclude(status=IndicatorValue.Status.APPROVED).exists()
    for organization in Organization.objects.all():
        assert organization.name.startswith("Illustrativ")
        assert organization.description.startswith("Illustrativt e")
    for strategy in Strategy.objects.all():
        assert strategy.source_title.startswith("Illustrativ")
        assert "generate_national_data" in strategy.source_title
    for metric in Metric.objects.all():
        assert metric.name.endswith("(illustrativ)")
        assert metric.slug.startswith(PREFIX)
    assert all(theme.slug.startswith(PREFIX) for theme in Theme.objects.all())
    assert Goal.objects.filter(themes__isnull=False).count() == 3 * 6


def test_the_targets_have_varied_statuses():
    generate()

    statuses = {target.assessment.status for target in GoalTarget.objects.with_progress()}

    assert {Status.ON_TRACK, Status.BEHIND, Status.TARGET_MET, Status.NOT_ENOUGH_DATA} <= statuses
    directions = set(GoalTarget.objects.values_list("direction", flat=True))
    assert directions == {"at_least", "at_most"}


@pytest.mark.parametrize(
    ("country", "source"),
    [
        ("DK", "Illustrative data – genereret af generate_national_data"),
        ("SE", "Illustrativa data – genererade av generate_national_data"),
    ],
)
def test_a_strategy_and_its_target_pages_show_that_the_numbers_are_illustrative(
    client, country, source
):
    generate()
    strategy = Strategy.objects.filter(owner__country=country).first()
    targets = GoalTarget.objects.filter(goal__strategy=strategy)

    page = client.get(strategy.get_absolute_url())

    assert page.status_code == 200
    assert "Illustrative tal" in page.text
    assert source in page.text
    for target in (
        targets.filter(indicator__reporting_organizations__isnull=True).first(),
        targets.filter(indicator__reporting_organizations__isnull=False).first(),
    ):
        page = client.get(target.get_absolute_url())
        assert page.status_code == 200
        assert "Nogle af tallene er eksempler til demonstration" in page.text


def test_values_sets_how_many_years_are_built():
    output = generate("--values", "1000", years=None)

    # 1.000 values are 6,5 years of 153 values; the nearest is 7 years.
    assert IndicatorValue.objects.count() == 7 * VALUES_A_YEAR
    assert set(IndicatorValue.objects.values_list("period", flat=True)) == set(
        range(LAST - 6, LAST + 1)
    )
    assert f"{LAST - 6}–{LAST}" in output


def test_a_second_run_without_replace_is_refused():
    generate()
    values = IndicatorValue.objects.count()

    with pytest.raises(CommandError, match="--replace"):
        generate()

    assert IndicatorValue.objects.count() == values


def test_replace_deletes_the_previous_set_and_leaves_the_seed(seed):
    seeded = {
        model: set(model.objects.values_list("pk", flat=True))
        for model in (Organization, Strategy, Goal, Indicator, IndicatorValue, Metric, Theme)
    }
    assert all(seeded.values())
    generate()
    assert generated_organizations().filter(slug=f"{PREFIX}kommune-002").exists()

    generate("--replace", "--municipalities-dk", "1", "--schools", "3")

    assert not generated_organizations().filter(slug=f"{PREFIX}kommune-002").exists()
    assert generated_organizations().filter(kind=Organization.Kind.MUNICIPALITY).count() == 2
    assert generated_organizations().filter(kind=Organization.Kind.INSTITUTION).count() == 6
    assert IndicatorValue.objects.filter(is_illustrative=True).count() == 2 * 2 * (45 + 3 * 3)
    assert Theme.objects.filter(slug__startswith=PREFIX).count() == 6
    for model, pks in seeded.items():
        remaining = model.objects.filter(pk__in=pks).count()
        assert remaining == len(pks), model
    seeded_values = IndicatorValue.objects.filter(pk__in=seeded[IndicatorValue])
    assert not seeded_values.filter(is_illustrative=True).exists()


def test_replace_refuses_when_something_outside_the_set_depends_on_it():
    generate()
    municipality = generated_organizations().filter(kind=Organization.Kind.MUNICIPALITY).first()
    ReportingRoundFactory(organization=municipality)
    values = IndicatorValue.objects.count()

    with pytest.raises(CommandError, match="cannot be deleted"):
        generate("--replace")

    assert IndicatorValue.objects.count() == values


def test_the_pages_cached_before_the_build_are_retired(django_capture_on_commit_callbacks):
    """The set is written in bulk, without the signals that retire cached pages."""
    before = content_version()

    with django_capture_on_commit_callbacks(execute=True):
        generate(years="1")

    assert content_version() != before
