"""The published figures in the seed are exactly those DOMAIN.md lists ("Published figures
that may go in"), each under a metric defined as its source measured it, and none is a value of
a goal target."""

import html
from decimal import Decimal

import pytest
from django.utils import translation

from indicators.models import Indicator, IndicatorValue, Metric, ReferenceFigure, ReferenceScope
from indicators.wording import format_quantity

pytestmark = pytest.mark.django_db

HERNING, COUNTRY = "Herning Kommune", "Hele landet"
STATUS = "Kvalitetsrapport – skole"  # Herning's school quality report
APPLICATIONS = "Tilmelding til ungdomsuddannelser efter 9. og 10. klasse"  # the ministry's table


def _status(key: str, herning: list[str], country: list[str]) -> list[tuple]:
    """DOMAIN.md: education status 9 months after 9th or 10th grade, 2011/12–2014/15."""
    metric = f"uddannelsesstatus-9-maaneder-{key}"
    return [
        (metric, label, 2011 + index, value, STATUS)
        for label, values in ((HERNING, herning), (COUNTRY, country))
        for index, value in enumerate(values)
    ]


def _applications(year: int, herning: tuple, country: tuple) -> list[tuple]:
    """DOMAIN.md: share of applicants choosing gymnasium / EUD / other, by year."""
    metrics = ["tilmelding-gymnasial-uddannelse", "tilmelding-erhvervsuddannelse"]
    metrics.append("tilmelding-anden-uddannelse")
    return [
        (metric, label, year, value, APPLICATIONS)
        for label, values in ((HERNING, herning), (COUNTRY, country))
        for metric, value in zip(metrics, values, strict=True)
    ]


# Each figure of DOMAIN.md as (metric, label, period, value, a phrase of its source), copied
# from its text; a school year is its first year (2011 for 2011/12).
DOMAIN = [
    ("ungdomsuddannelse-efter-15-maaneder", "Hillerød Kommune", 2017, "93.4", "Sjællandske"),
    ("ungdomsuddannelse-efter-15-maaneder", COUNTRY, 2017, "89.9", "Sjællandske"),
    ("fuldfoerelse-erhvervsfaglige-forloeb", "HEG", 2023, "92", "HEG trodser regionens"),
    *_status("i-gang", ["78", "78", "73.9", "77.7"], ["78.5", "78.4", "77.1", "76.8"]),
    *_status("afbrudt", ["5.1", "4.5", "4.1", "4.6"], ["4.3", "4.5", "5.6", "3.9"]),
    *_status("ikke-paabegyndt", ["16.9", "17.5", "22.1", "22.7"], ["17.2", "17.2", "14.4", "19.2"]),
    *_applications(2018, ("71.2", "21.6", "7.2"), ("73.1", "19.4", "7.5")),
    *_applications(2019, ("68.9", "23.2", "8.0"), ("72.0", "20.1", "8.0")),
    *_applications(2020, ("69.4", "22.1", "8.4"), ("72.6", "19.8", "7.6")),
    *_applications(2021, ("68.4", "20.9", "10.7"), ("72.1", "19.9", "8.0")),
    *_applications(2022, ("69.2", "21.1", "9.7"), ("71.6", "20.0", "8.4")),
    *_applications(2023, ("68.3", "23.7", "8.1"), ("72.6", "19.4", "8.0")),
]


def test_the_seed_holds_exactly_the_published_figures_of_domain_md(seed):
    seeded = {
        (figure.metric.slug, figure.label, figure.period): figure
        for figure in ReferenceFigure.objects.select_related("metric")
    }

    assert set(seeded) == {(metric, label, period) for metric, label, period, *_ in DOMAIN}
    for metric, label, period, value, source in DOMAIN:
        figure = seeded[metric, label, period]
        assert figure.value == Decimal(value), (metric, label, period)
        assert source in figure.source, (metric, label, period)


def test_each_figure_is_the_country_s_or_names_its_organization(seed):
    for figure in ReferenceFigure.objects.select_related("organization"):
        if figure.label == COUNTRY:
            assert (figure.scope, figure.organization) == (ReferenceScope.COUNTRY, None)
        else:
            assert figure.scope == ReferenceScope.ORGANIZATION
            organization = figure.organization
            assert figure.label in (organization.name, organization.short_name)


def test_the_metrics_say_what_their_sources_measured(seed):
    definitions = dict(Metric.objects.values_list("slug", "definition"))

    assert "9 måneder" in definitions["uddannelsesstatus-9-maaneder-i-gang"]
    assert "»I gang«" in definitions["uddannelsesstatus-9-maaneder-i-gang"]
    assert "»Afbrudt«" in definitions["uddannelsesstatus-9-maaneder-afbrudt"]
    assert "»Ikke påbegyndt«" in definitions["uddannelsesstatus-9-maaneder-ikke-paabegyndt"]
    assert "gymnasial" in definitions["tilmelding-gymnasial-uddannelse"]
    assert "erhvervsfaglige forløb" in definitions["fuldfoerelse-erhvervsfaglige-forloeb"]
    school_years = Metric.objects.filter(slug__startswith="uddannelsesstatus-9-maaneder")
    assert {metric.period_kind for metric in school_years} == {"school_year"}


def test_no_published_figure_is_a_value_of_a_goal_target(seed):
    context_metrics = ReferenceFigure.objects.values("metric")

    assert not Indicator.objects.filter(metric__in=context_metrics).exists()
    # Herning's 95 % goal is about completing an ungdomsuddannelse: none of these figures
    # measured that, so it has no values.
    assert not IndicatorValue.objects.filter(
        indicator__metric__slug="ungdomsuddannelse-gennemfoert"
    ).exists()


@pytest.mark.parametrize("language", ["da", "sv", "en"])
def test_each_figure_is_on_its_organization_s_page_with_its_period_and_source_link(
    client, seed, language
):
    prefix = "" if language == "da" else f"/{language}"
    figures = ReferenceFigure.objects.select_related("metric", "organization")
    owners = {figure.organization for figure in figures if figure.organization}
    with translation.override("da"):  # a request leaves its language active
        paths = {owner.pk: owner.get_absolute_url() for owner in owners}
    pages = {pk: client.get(prefix + path).content.decode() for pk, path in paths.items()}

    for figure in figures:
        metric = figure.metric
        with translation.override(language):
            value = format_quantity(figure.value, metric.unit, metric.decimals)
            period = metric.period_label(figure.period)
        # A country's figure is on the page of every organization of the country with its own.
        shown_on = (
            [figure.organization]
            if figure.organization
            else [
                owner
                for owner in owners
                if owner.country == figure.country
                and figure.metric.reference_figures.filter(organization=owner).exists()
            ]
        )
        assert shown_on, figure
        for owner in shown_on:
            page = html.unescape(pages[owner.pk])
            assert value in page, (language, figure)
            assert period in page, (language, figure)
            if figure.source_url:
                assert f'href="{figure.source_url}"' in pages[owner.pk], figure
