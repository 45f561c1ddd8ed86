"""The comparison page shows published figures (reference figures) with their sources and
periods, says in words how far an organization's own figure lies from its country's, and
gives its series as CSV."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import ReferenceFigure, ReferenceScope
from tests.factories import MetricFactory, OrganizationFactory, ReferenceFigureFactory
from tests.portal.test_comparison_scale import municipality_with_a_school
from tests.portal.test_query_counts import count_queries

pytestmark = pytest.mark.django_db

IN_PROGRESS = "uddannelsesstatus-9-maaneder-i-gang"
APPLICATIONS = "tilmelding-gymnasial-uddannelse"


def page_of(client, slug: str, query: str = "") -> str:
    answer = client.get(reverse("portal:comparison", args=[slug]) + query)
    assert answer.status_code == 200
    return answer.content.decode()


def csv_rows(client, slug: str, query: str = "") -> list[dict]:
    answer = client.get(reverse("portal:comparison_csv", args=[slug]) + query)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(answer.content.decode())))


@pytest.mark.parametrize("slug", [IN_PROGRESS, APPLICATIONS])
def test_a_shared_metric_of_reference_figures_only_has_both_lines_the_table_and_sources(
    client, seed, slug
):
    page = page_of(client, slug)

    assert page.count("<polyline points=") - page.count('<polyline points="0,7 40,7"') == 2
    for label in ("Herning Kommune", "Hele landet"):
        assert f'<th scope="row">{label}' in page
    assert "Kilder til sammenligningstallene" in page
    for figure in ReferenceFigure.objects.filter(metric__slug=slug):
        assert f'<a href="{figure.source_url}">' in page


def test_the_learning_page_lists_the_comparisons_of_reference_figures_only(client, seed):
    page = client.get(reverse("portal:themes")).content.decode()

    for slug in (IN_PROGRESS, APPLICATIONS):
        assert reverse("portal:comparison", args=[slug]) in page


def test_the_figures_of_herning_and_the_country_show_their_source_link_and_periods(client, seed):
    page = page_of(client, IN_PROGRESS)

    assert (
        "Herning Kommune, 2011/12, 2012/13, 2013/14, 2014/15: "
        '<a href="https://skole.herning.dk/">Herning Kommune: Kvalitetsrapport' in page
    )
    assert "Hele landet, 2011/12, 2012/13, 2013/14, 2014/15: " in page
    for period in ("2011/12", "2014/15"):
        assert f'<th scope="col">{period}</th>' in page
    assert ">77,7\xa0%<" in page
    assert ">76,8\xa0%<" in page


def test_the_page_says_how_far_herning_lies_from_the_country(client, seed):
    page = page_of(client, IN_PROGRESS)

    assert (
        "<li>Herning Kommune: 77,7\xa0% i 2014/15, "
        "0,9 procentpoint over landsgennemsnittet (76,8\xa0%).</li>" in page
    )


def test_a_figure_without_a_country_to_compare_with_gets_no_sentence(client):
    metric = MetricFactory()
    heg = OrganizationFactory(name="HEG")
    own = {"organization": heg, "scope": ReferenceScope.ORGANIZATION, "label": "HEG"}
    ReferenceFigureFactory(metric=metric, period=2023, **own)
    ReferenceFigureFactory(metric=metric, period=2022, label="Hele landet")

    page = page_of(client, metric.slug)

    assert "landsgennemsnittet" not in page


def test_the_date_a_figure_was_retrieved_is_shown(client):
    metric = MetricFactory()
    ReferenceFigureFactory(
        metric=metric,
        source="Danmarks Statistik",
        source_url="https://www.dst.dk/",
        retrieved_on=date(2025, 3, 4),
    )

    page = page_of(client, metric.slug)

    assert '<a href="https://www.dst.dk/">Danmarks Statistik</a>, hentet 4. marts 2025' in page


def test_the_csv_has_every_figure_of_the_metric_with_its_period_and_source(client, seed):
    rows = csv_rows(client, IN_PROGRESS)

    figures = ReferenceFigure.objects.filter(metric__slug=IN_PROGRESS).select_related(
        "organization"
    )
    assert len(rows) == figures.count() == 8
    assert {
        (row["serie"], row["slags"], row["organisation"], int(row["periode"]), row["vaerdi"])
        for row in rows
    } == {
        (
            figure.label,
            "sammenligningstal",
            figure.organization.slug if figure.organization else "",
            figure.period,
            f"{figure.value.normalize():f}",
        )
        for figure in figures
    }
    latest = next(
        row for row in rows if row["serie"] == "Herning Kommune" and row["periode"] == "2014"
    )
    assert latest["vaerdi"] == "77.7"
    assert latest["periodetekst"] == "2014/15"
    assert latest["organisation"] == "herning-kommune"
    assert latest["kilde_url"] == "https://skole.herning.dk/"
    assert latest["kilde"].startswith("Herning Kommune: Kvalitetsrapport")


def test_the_csv_has_the_pages_rows_in_all_periods_and_keeps_its_filters(client):
    metric = MetricFactory()
    municipality_with_a_school(metric, 1, periods=range(2015, 2025))
    municipality_with_a_school(metric, 2, periods=[2024], country="SE")
    ReferenceFigureFactory(metric=metric, period=2020, retrieved_on=date(2025, 3, 4))

    rows = csv_rows(client, metric.slug, "?country=DK")

    kommune = [row for row in rows if row["serie"] == "Kommune 01"]
    assert [int(row["periode"]) for row in kommune] == list(range(2015, 2025))
    assert {row["slags"] for row in kommune} == {"organisation"}
    assert not [row for row in rows if row["serie"] == "Kommune 02"]
    (national,) = [row for row in rows if row["slags"] == "sammenligningstal"]
    assert (national["vaerdi"], national["hentet"]) == ("89.9", "2025-03-04")


def test_the_comparison_page_links_its_csv_with_its_filters(client, seed):
    page = page_of(client, IN_PROGRESS, "?country=DK")

    csv_url = reverse("portal:comparison_csv", args=[IN_PROGRESS])
    assert f'href="{csv_url}?country=DK"' in page


def test_the_csv_runs_as_many_queries_with_much_data_as_with_little(client):
    def queries(size: int) -> int:
        metric = MetricFactory()
        for number in range(1, size * 10 + 1):
            municipality_with_a_school(metric, number, periods=range(2024 - size, 2025))
        for period in range(2024 - size, 2025):
            ReferenceFigureFactory(metric=metric, period=period, value=Decimal(70 + period % 10))
        return count_queries(client, reverse("portal:comparison_csv", args=[metric.slug]))

    assert queries(1) == queries(3)
