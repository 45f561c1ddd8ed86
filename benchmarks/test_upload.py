"""How long a spreadsheet upload of 10,000 values takes to preview and to apply: 100 schools
× 10 indicators × 10 years, the size the reporting issue asks for. Run with `make bench`;
it prints the figures and asserts no time, since times depend on the machine."""

import datetime
import time
from decimal import Decimal

import pytest
from django.db import connection

from indicators import spreadsheets, uploads
from indicators.models import IndicatorValue, Metric, ReportingRound
from municipalities.models import Membership
from tests.factories import (
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganizationFactory,
    SchoolFactory,
    StrategyFactory,
    UserFactory,
)

SCHOOLS, INDICATORS, YEARS = 100, 10, 10
FIRST_YEAR = 2015


@pytest.fixture
def country_round(db):
    municipality = OrganizationFactory(name="Benchmark Kommune", slug="benchmark")
    schools = [
        SchoolFactory(name=f"Skole {n:03d}", slug=f"skole-{n:03d}", parent=municipality)
        for n in range(SCHOOLS)
    ]
    goal = GoalFactory(focus_area__strategy=StrategyFactory(owner=municipality))
    for n in range(INDICATORS):
        indicator = IndicatorFactory(
            organization=municipality,
            name=f"Indikator {n}",
            slug=f"indikator-{n}",
            metric__unit="elever",
            metric__measure=Metric.Measure.COUNT,
            reporting_organizations=schools,
        )
        GoalTargetFactory(
            goal=goal,
            indicator=indicator,
            baseline_period=FIRST_YEAR,
            baseline_value=100,
            target_period=2030,
            target_value=150,
        )
    editor = UserFactory(username="benchmark-editor", is_staff=True)
    MembershipFactory(user=editor, organization=municipality, role=Membership.Role.EDITOR)
    reporting_round = ReportingRound.objects.create(
        organization=municipality, period=FIRST_YEAR + YEARS - 1, deadline=datetime.date.today()
    )
    return reporting_round, editor


def filled_workbook(reporting_round, editor) -> bytes:
    template = uploads.template_rows(reporting_round, editor, for_excel=True)
    rows = [
        {**row, "period": str(year), "value": Decimal(100 + (year - FIRST_YEAR) * 3)}
        for row in template
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)
    ]
    return spreadsheets.write_xlsx(rows)


def timed(label: str, work):
    started = time.perf_counter()
    result = work()
    print(f"  {label:<40} {time.perf_counter() - started:6.2f} s")
    return result


def test_ten_thousand_uploaded_values_are_previewed_and_applied(country_round):
    reporting_round, editor = country_round
    content = filled_workbook(reporting_round, editor)
    print(
        f"\n{SCHOOLS * INDICATORS * YEARS:,} rows, {len(content) / 1024:.0f} KiB, "
        f"{connection.vendor}"
    )

    def preview():
        return uploads.upload_preview(
            reporting_round=reporting_round, content=content, filename="tal.xlsx", user=editor
        )

    started = time.perf_counter()
    upload = timed("read, check and store the preview", preview)
    saved = timed("apply", lambda: uploads.upload_apply(upload=upload, user=editor))
    print(f"  {'preview and apply':<40} {time.perf_counter() - started:6.2f} s")

    assert saved == SCHOOLS * INDICATORS * YEARS
    assert IndicatorValue.objects.filter(status="submitted").count() == saved
