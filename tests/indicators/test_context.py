"""Context series: an organization's published figures against the country's, the gap in the
latest period both have, and the sentence that says it."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from indicators.context import (
    ContextPoint,
    ContextSeries,
    Gap,
    context_of,
    gap_between,
    gap_sentence,
    series_of,
)
from indicators.models import ReferenceFigure, ReferenceScope
from tests.factories import MetricFactory, OrganizationFactory


def series(scope=ReferenceScope.COUNTRY, label="Hele landet", **values) -> ContextSeries:
    return ContextSeries(
        label,
        scope,
        tuple(ContextPoint(int(p[1:]), v, "Kilde", "", None) for p, v in values.items()),
    )


def test_the_gap_is_taken_in_the_latest_period_both_have():
    own = series(ReferenceScope.ORGANIZATION, "Herning", y2012=78.0, y2013=73.9, y2015=80.0)
    country = series(y2012=78.4, y2013=77.1, y2014=76.8)

    assert gap_between(own, country) == Gap(period=2013, own=73.9, reference=77.1)


def test_series_without_a_common_period_have_no_gap():
    own = series(ReferenceScope.ORGANIZATION, "HEG", y2023=92.0)

    assert gap_between(own, series(y2022=88.0)) is None


@pytest.mark.parametrize(
    ("own", "reference", "expected"),
    [
        (77.7, 76.8, "77,7 % i 2014/15, 0,9 procentpoint over landsgennemsnittet (76,8 %)."),
        (73.9, 77.1, "73,9 % i 2014/15, 3,2 procentpoint under landsgennemsnittet (77,1 %)."),
        (76.84, 76.8, "76,8 % i 2014/15, det samme som landsgennemsnittet."),
    ],
)
def test_the_sentence_says_percentage_points_above_below_or_the_same(own, reference, expected):
    gap = Gap(period=2014, own=own, reference=reference)

    with translation.override("da"):
        sentence = gap_sentence(
            gap,
            reference=series(),
            unit="%",
            decimals=1,
            percent=True,
            period_kind="school_year",
        )

    assert sentence == expected.replace(" %", "\xa0%")


def test_a_quantity_is_compared_in_its_unit_and_a_region_by_its_name():
    gap = Gap(period=2023, own=1384, reference=1500)
    region = series(ReferenceScope.REGION, "Region Nordjylland")

    with translation.override("da"):
        sentence = gap_sentence(
            gap,
            reference=region,
            unit="årselever",
            decimals=0,
            percent=False,
            period_kind="calendar_year",
        )

    assert sentence == (
        "1.384\xa0årselever i 2023, 116\xa0årselever under Region Nordjylland (1.500\xa0årselever)."
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "0,9 procentenheter över riksgenomsnittet"),
        ("en", "0.9 percentage points above the national average"),
    ],
)
def test_the_sentence_is_translated(language, expected):
    gap = Gap(period=2014, own=77.7, reference=76.8)

    with translation.override(language):
        sentence = gap_sentence(
            gap,
            reference=series(),
            unit="%",
            decimals=1,
            percent=True,
            period_kind="school_year",
        )

    assert expected in sentence


@pytest.mark.django_db
def test_figures_are_read_as_series_oldest_first_by_label():
    metric = MetricFactory()
    for label, period, value in (("B", 2020, 2), ("A", 2021, 3), ("A", 2019, 1)):
        ReferenceFigure.objects.create(
            metric=metric, label=label, country="DK", period=period, value=Decimal(value)
        )

    found = series_of(ReferenceFigure.objects.order_by("pk"))

    assert [(one.label, [p.period for p in one.points]) for one in found] == [
        ("B", [2020]),
        ("A", [2019, 2021]),
    ]


@pytest.mark.django_db
def test_an_organization_s_context_is_read_in_two_queries_whatever_its_metrics():
    organization = OrganizationFactory(country="DK")
    other = OrganizationFactory(country="DK")
    for _ in range(5):
        metric = MetricFactory()
        for label, owner, scope, country in (
            (organization.name, organization, ReferenceScope.ORGANIZATION, "DK"),
            (other.name, other, ReferenceScope.ORGANIZATION, "DK"),
            ("Hele landet", None, ReferenceScope.COUNTRY, "DK"),
            ("Hela riket", None, ReferenceScope.COUNTRY, "SE"),
        ):
            ReferenceFigure.objects.create(
                metric=metric,
                label=label,
                organization=owner,
                scope=scope,
                country=country,
                period=2024,
                value=Decimal(50),
                retrieved_on=date(2026, 11, 30),
            )

    with CaptureQueriesContext(connection) as queries:
        found = context_of(organization)

    assert len(queries) == 2
    assert len(found) == 5
    for context in found:
        assert context.own.label == organization.name
        assert [reference.label for reference in context.references] == ["Hele landet"]
        assert context.comparison[1] == Gap(period=2024, own=50.0, reference=50.0)
