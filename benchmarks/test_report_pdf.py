"""A status report of a large strategy: 10 focus areas × 5 goals × 4 targets, 200 targets,
each with 10 years of approved values, as a PDF (`render_pdf`) and as its print page. Issue
#16 asks for the PDF in at most 10 s on the project's machine; run with `make bench`. It
prints the times (the CPU time too: on a machine that others share, the clock counts their
work) and asserts only that the report renders."""

import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Action, FocusArea, Goal, Strategy
from indicators.models import GoalTarget, Indicator, IndicatorValue, Metric
from indicators.services import refresh_assessments
from municipalities.models import Organization
from strategyportal.reports.pdf import render_pdf

AREAS, GOALS, TARGETS, YEARS = 10, 5, 4, 10
FIRST = 2015
PERIOD = FIRST + YEARS - 1


@pytest.fixture
def strategy(db) -> Strategy:
    owner = Organization.objects.create(
        name="Stor Kommune", slug="stor-kommune", kind="municipality", country="DK"
    )
    strategy = Strategy.objects.create(
        owner=owner,
        title="Børne- og ungestrategi",
        slug="strategi",
        start_year=FIRST,
        end_year=PERIOD + 3,
        status=Strategy.Status.PUBLISHED,
        source_title="Børne- og ungestrategi",
    )
    areas = FocusArea.objects.bulk_create(
        FocusArea(strategy=strategy, title=f"Fokusområde {a}", slug=f"omraade-{a}", order=a)
        for a in range(AREAS)
    )
    goals = Goal.objects.bulk_create(
        Goal(
            strategy=strategy,
            focus_area=area,
            text=f"Flere elever trives og lærer mere i {area.title.lower()}, mål {g}",
            slug=f"maal-{area.order}-{g}",
            order=g,
        )
        for area in areas
        for g in range(GOALS)
    )
    Action.objects.bulk_create(
        Action(
            strategy=strategy, goal=goal, text=f"Handling for {goal.text}", slug=f"h-{goal.slug}"
        )
        for goal in goals
    )
    metric = Metric.objects.create(
        name="Elever", slug="elever", unit="elever", measure=Metric.Measure.QUANTITY, owner=owner
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(organization=owner, metric=metric, name=f"Indikator {n}", slug=f"indikator-{n}")
        for n in range(len(goals) * TARGETS)
    )
    Indicator.reporting_organizations.through.objects.bulk_create(
        Indicator.reporting_organizations.through(indicator=indicator, organization=owner)
        for indicator in indicators
    )
    GoalTarget.objects.bulk_create(
        GoalTarget(
            goal=goals[n // TARGETS],
            indicator=indicator,
            order=n % TARGETS,
            direction="at_least",
            baseline_period=FIRST,
            baseline_value=Decimal(1000),
            target_period=PERIOD + 3,
            target_value=Decimal(1500 + 10 * n),
        )
        for n, indicator in enumerate(indicators)
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            organization=owner,
            period=year,
            value=Decimal(1000 + (year - FIRST) * (20 + n % 60)),
            status=IndicatorValue.Status.APPROVED,
            source="Kommunens egen opgørelse",
        )
        for n, indicator in enumerate(indicators)
        for year in range(FIRST, PERIOD + 1)
    )
    refresh_assessments(GoalTarget.objects.filter(goal__strategy=strategy))
    return strategy


def test_a_report_of_200_targets(strategy, client):
    started, cpu = time.perf_counter(), time.process_time()
    pdf = render_pdf(strategy, period=PERIOD, language="da")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert pdf.startswith(b"%PDF")

    url = reverse("portal:strategy_report", args=[strategy.owner.slug, strategy.slug, PERIOD])
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        page = time.perf_counter() - started
    assert response.status_code == 200

    print(
        f"\nstatus report, {AREAS * GOALS * TARGETS} targets, {connection.vendor}: "
        f"PDF {seconds:.1f} s, {cpu:.1f} s of CPU ({len(pdf) / 1024:.0f} KiB); "
        f"print page {page * 1000:.0f} ms, {len(queries)} queries"
    )
