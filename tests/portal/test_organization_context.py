"""An organization's page shows its published context figures (indicators/context.py) as
small multiples: each metric's chart beside the country's line, the gap in words, the
figures by period and their sources."""

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from indicators.context import ContextSource
from indicators.models import ReferenceFigure, ReferenceScope
from indicators.wording import format_quantity
from municipalities.models import Organization
from tests.factories import MetricFactory, OrganizationFactory, ReferenceFigureFactory
from tests.portal.test_query_counts import count_queries

pytestmark = pytest.mark.django_db

SECTION = "Tal i sammenhæng"


def page_of(client, organization: Organization) -> str:
    answer = client.get(organization.get_absolute_url())
    assert answer.status_code == 200
    return answer.content.decode()


def card_of(page: str, metric_slug: str) -> str:
    """The card of one metric's context figures."""
    start = page.index(f'id="kontekst-{metric_slug}"')
    return page[start : page.index("</article>", start)]


def test_herning_shows_every_context_figure_with_its_period_in_danish(client, seed):
    herning = Organization.objects.get(slug="herning-kommune")
    own = ReferenceFigure.objects.filter(organization=herning).select_related("metric")
    metrics = {figure.metric for figure in own}
    figures = ReferenceFigure.objects.filter(metric__in=metrics, country="DK")
    assert len(metrics) == 6
    assert figures.filter(scope=ReferenceScope.COUNTRY).exists()

    page = page_of(client, herning)

    assert SECTION in page
    for figure in figures.select_related("metric"):
        metric = figure.metric
        card = card_of(page, metric.slug)
        assert format_quantity(figure.value, metric.unit, metric.decimals) in card, figure
        assert metric.period_label(figure.period) in card, figure


def test_herning_in_progress_says_its_gap_to_the_country_and_links_its_source(client, seed):
    page = page_of(client, Organization.objects.get(slug="herning-kommune"))

    card = card_of(page, "uddannelsesstatus-9-maaneder-i-gang")
    assert "77,7\xa0% i 2014/15, 0,9 procentpoint over landsgennemsnittet (76,8\xa0%)." in card
    assert '<a href="https://skole.herning.dk/">Herning Kommune: Kvalitetsrapport' in card
    assert "(2011/12–2014/15)" in card
    # The metric is shared: its heading leads to its comparison.
    assert 'href="/sammenlign/uddannelsesstatus-9-maaneder-i-gang/"' in card


def test_heg_shows_its_one_figure_with_its_source_and_no_chart_of_a_single_dot(client, seed):
    page = page_of(client, Organization.objects.get(slug="heg"))

    card = card_of(page, "fuldfoerelse-erhvervsfaglige-forloeb")
    assert "92,0\xa0%" in card
    assert '<th scope="col" class="align-text-right">2023</th>' in card
    assert '<a href="https://heguddannelser.dk/">HEG: »HEG trodser' in card
    assert "<svg" not in card.split("<table")[0].split("</h3>")[1]
    assert "Der er kun tal for én periode" in card


def test_an_organization_without_figures_of_its_own_has_no_section(client):
    organization = OrganizationFactory()
    # The country's figures exist; they are not the organization's.
    ReferenceFigureFactory(scope=ReferenceScope.COUNTRY)

    assert SECTION not in page_of(client, organization)


def test_each_chart_on_the_page_has_ids_of_its_own_and_a_name_and_description(client, seed):
    page = page_of(client, Organization.objects.get(slug="herning-kommune"))

    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []
    charts = re.findall(r'<svg class="portal-chart__svg"[^>]*>', page)
    assert len(charts) == 6
    for chart in charts:
        labelled_by = re.search(r'aria-labelledby="([^"]+)"', chart).group(1)
        described_by = re.search(r'aria-describedby="([^"]+)"', chart).group(1)
        assert f'<title id="{labelled_by}">Diagram: ' in page
        assert f'<desc id="{described_by}">Herning Kommune og Hele landet, ' in page


def organization_with_context(metrics: int) -> Organization:
    """An organization with its own figures under `metrics` metrics, two periods each, beside
    the whole country's, from a source with an address and a retrieval date."""
    organization = OrganizationFactory()
    for metric in MetricFactory.create_batch(metrics, unit="%", decimals=1):
        for period in (2022, 2023):
            ReferenceFigureFactory(
                metric=metric,
                label=organization.name,
                organization=organization,
                scope=ReferenceScope.ORGANIZATION,
                period=period,
                value=Decimal("80.5"),
                source_url="https://www.dst.dk/",
                retrieved_on=date(2025, 1, 15),
            )
            ReferenceFigureFactory(metric=metric, period=period, value=Decimal("78.0"))
    return organization


def test_the_page_runs_as_many_queries_with_five_context_metrics_as_with_one(client):
    one, five = organization_with_context(1), organization_with_context(5)

    assert count_queries(client, one.get_absolute_url()) == count_queries(
        client, five.get_absolute_url()
    )
    page = page_of(client, five)
    assert page.count('class="portal-card"') == 5
    assert "2,5 procentpoint over landsgennemsnittet (78,0\xa0%)" in page
    assert "hentet 15. januar 2025" in page


def test_a_source_gives_its_periods_as_runs_of_consecutive_years():
    source = ContextSource("Kilde", "", None, (2011, 2012, 2013, 2016, 2018, 2019))

    assert source.spans == [(2011, 2013), (2016, 2016), (2018, 2019)]
