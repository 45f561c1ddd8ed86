"""The reporting pages at the scale of a country: 98 municipalities with 13 schools each, 10
indicators per municipality reported by every school, 10 years of approved values (127.400),
an open round in every municipality, and this year's values of one municipality waiting for
review. Each page is timed from one municipality's people, median of three requests; run
with `make bench`. It prints the figures and asserts only that each page answers."""

import datetime
import statistics
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import FocusArea, Goal, Strategy
from indicators.models import (
    GoalTarget,
    Indicator,
    IndicatorValue,
    Metric,
    ReportingRound,
)
from municipalities.models import Membership, Organization, User
from tests.factories import UserFactory

MUNICIPALITIES, SCHOOLS, INDICATORS, YEARS = 98, 13, 10, 10
LAST = datetime.date.today().year - 1
FIRST = LAST - YEARS + 1
REPEATS = 3


def _country():
    municipalities = Organization.objects.bulk_create(
        Organization(
            name=f"Kommune {m:03d}", slug=f"kommune-{m:03d}", kind="municipality", country="DK"
        )
        for m in range(MUNICIPALITIES)
    )
    schools = Organization.objects.bulk_create(
        Organization(
            name=f"Skole {m:03d}-{s:02d}",
            slug=f"skole-{m:03d}-{s:02d}",
            kind="institution",
            country="DK",
            parent=municipality,
        )
        for m, municipality in enumerate(municipalities)
        for s in range(SCHOOLS)
    )
    metrics = Metric.objects.bulk_create(
        Metric(
            name=f"Måling {n}",
            slug=f"maaling-{n}",
            definition="Antal elever.",
            unit="elever",
            measure=Metric.Measure.COUNT,
            aggregation=Metric.Aggregation.SUM,
        )
        for n in range(INDICATORS)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            organization=municipality,
            metric=metric,
            slug=f"indikator-{n}",
            name=f"Indikator {n}",
        )
        for municipality in municipalities
        for n, metric in enumerate(metrics)
    )
    schools_of = {
        m.pk: schools[i * SCHOOLS : (i + 1) * SCHOOLS] for i, m in enumerate(municipalities)
    }
    Indicator.reporting_organizations.through.objects.bulk_create(
        Indicator.reporting_organizations.through(indicator=indicator, organization=school)
        for indicator in indicators
        for school in schools_of[indicator.organization_id]
    )
    strategies = Strategy.objects.bulk_create(
        Strategy(
            owner=municipality,
            title="Børne- og ungestrategi",
            slug="strategi",
            start_year=FIRST,
            end_year=LAST + 5,
            status=Strategy.Status.PUBLISHED,
        )
        for municipality in municipalities
    )
    areas = FocusArea.objects.bulk_create(
        FocusArea(strategy=strategy, title="Læring", slug="laering") for strategy in strategies
    )
    goals = Goal.objects.bulk_create(
        Goal(strategy=area.strategy, focus_area=area, text="Flere elever", slug="flere")
        for area in areas
    )
    goal_of = {goal.strategy.owner_id: goal for goal in goals}
    GoalTarget.objects.bulk_create(
        GoalTarget(
            goal=goal_of[indicator.organization_id],
            indicator=indicator,
            direction="at_least",
            baseline_period=FIRST,
            baseline_value=Decimal(1000),
            target_period=LAST + 5,
            target_value=Decimal(1500),
        )
        for indicator in indicators
    )
    IndicatorValue.objects.bulk_create(
        (
            IndicatorValue(
                indicator=indicator,
                organization=school,
                period=year,
                value=Decimal(80 + year - FIRST),
                status=IndicatorValue.Status.APPROVED,
            )
            for indicator in indicators
            for school in schools_of[indicator.organization_id]
            for year in range(FIRST, LAST + 1)
        ),
        batch_size=2000,
    )
    ReportingRound.objects.bulk_create(
        ReportingRound(organization=municipality, period=LAST + 1, deadline=datetime.date.today())
        for municipality in municipalities
    )
    return municipalities[0], schools_of[municipalities[0].pk]


@pytest.fixture
def country(db):
    municipality, schools = _country()
    # This year's values of the first municipality wait for review, entered by its reporters.
    reporter = UserFactory(username="skoleleder")
    Membership.objects.create(user=reporter, organization=schools[0], role="reporter")
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            organization=school,
            period=LAST + 1,
            value=Decimal(95),
            status=IndicatorValue.Status.SUBMITTED,
            entered_by=reporter,
        )
        for indicator in Indicator.objects.filter(organization=municipality)
        for school in schools
    )
    editor = UserFactory(username="redaktoer", is_staff=True)
    Membership.objects.create(user=editor, organization=municipality, role="editor")
    reporting_round = ReportingRound.objects.get(organization=municipality)
    target = GoalTarget.objects.filter(goal__strategy__owner=municipality).first()
    return {
        "reporter": reporter,
        "editor": editor,
        "school": schools[0],
        "round": reporting_round,
        "strategy": target.goal.strategy,
        "goal": target.goal,
        "indicator": target.indicator,
        "target": target,
        "value": target.indicator.values.first(),
    }


def admin_change(model, obj) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])


def measure(client, url) -> tuple[float, int, int]:
    """Median milliseconds of `REPEATS` requests, the queries and the size of the page."""
    times = []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times), len(queries), len(response.content)


def test_the_reporting_pages_of_a_country(country, client):
    school, reporting_round = country["school"], country["round"]
    report = reverse("reporting:report", args=[school.slug])
    pages = {
        "reporter": [
            ("start page", reverse("reporting:home")),
            ("report, one period", f"{report}?periode={LAST}"),
            ("report, ten periods", f"{report}?fra={FIRST}&periode={LAST}"),
        ],
        "editor": [
            ("start page", reverse("reporting:home")),
            ("review, 130 values", reverse("reporting:review")),
            ("round overview", reverse("reporting:round", args=[reporting_round.pk])),
            (
                "round overview, CSV",
                reverse("reporting:round", args=[reporting_round.pk]) + "?format=csv",
            ),
            (
                "template, Excel",
                reverse("reporting:round_template", args=[reporting_round.pk, "xlsx"]),
            ),
            ("admin start page", reverse("admin:index")),
            ("admin: strategy", admin_change(Strategy, country["strategy"])),
            ("admin: goal", admin_change(Goal, country["goal"])),
            ("admin: indicator, 130 values", admin_change(Indicator, country["indicator"])),
            ("admin: target", admin_change(GoalTarget, country["target"])),
            ("admin: value list", reverse("admin:indicators_indicatorvalue_changelist")),
            ("admin: value", admin_change(IndicatorValue, country["value"])),
        ],
    }
    values = IndicatorValue.objects.count()
    print(
        f"\n{values:,} values, {Organization.objects.count():,} organizations, {connection.vendor}"
    )
    print(f"  {'page':<40} {'ms':>7} {'queries':>8} {'KiB':>6}")
    for who, urls in pages.items():
        client.force_login(User.objects.get(username=country[who].username))
        for label, url in urls:
            ms, queries, size = measure(client, url)
            print(f"  {who + ': ' + label:<40} {ms:7.0f} {queries:8d} {size / 1024:6.0f}")
