"""Where an indicator's value for a period is computed from its schools' values, the public
pages say so: from how many of how many schools, and by which rule."""

import csv
import io

import pytest
from django.urls import reverse

from indicators.models import Metric
from municipalities.models import Organization
from tests.factories import (
    IndicatorValueFactory,
    OrganizationFactory,
    PercentTargetFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def reported_by_schools(aggregation=Metric.Aggregation.MEAN, *, schools=4, **metric):
    """A municipality's target of at least 95 (a share unless `metric` says otherwise),
    reported by its `schools` only."""
    metric = {"aggregation": aggregation, "decimals": 1, **metric}
    target = PercentTargetFactory(
        **{f"indicator__metric__{name}": value for name, value in metric.items()}
    )
    reporters = SchoolFactory.create_batch(schools, parent=target.indicator.organization)
    target.indicator.reporting_organizations.set(reporters)
    return target, reporters


def report(target, schools, values, period=2024, **fields):
    for school, value in zip(schools, values, strict=False):
        IndicatorValueFactory(
            indicator=target.indicator, organization=school, period=period, value=value, **fields
        )


@pytest.fixture
def mean_of_schools():
    """Three of four schools have reported 84, 86 and 88 % for 2024: the mean is 86 %."""
    target, schools = reported_by_schools()
    report(target, schools, [84, 86, 88])
    return target


def test_the_target_page_says_how_many_schools_a_value_was_computed_from(client, mean_of_schools):
    page = client.get(mean_of_schools.get_absolute_url()).text

    assert "86,0\xa0%" in page
    assert "Beregnet ud fra 3 af 4 skolers tal" in page
    assert '<span class="badge">beregnet</span>' in page


def test_the_series_page_says_how_many_schools_a_value_was_computed_from(client, mean_of_schools):
    page = client.get(mean_of_schools.indicator.get_absolute_url()).text

    assert "86,0\xa0%" in page
    assert "Beregnet ud fra 3 af 4 skolers tal" in page


def test_the_chart_draws_the_computed_value(client, mean_of_schools):
    page = client.get(mean_of_schools.indicator.get_absolute_url()).text

    svg = page[page.index('<svg class="portal-chart__svg"') :]
    assert svg[: svg.index("</svg>")].count("<circle") == 1


def test_the_download_names_the_computed_values_source(client, mean_of_schools):
    goal, strategy = mean_of_schools.goal, mean_of_schools.goal.strategy
    url = reverse(
        "portal:indicator_csv",
        args=[strategy.owner.slug, strategy.slug, goal.slug, mean_of_schools.indicator.slug],
    )

    rows = {
        row["periode"]: row for row in csv.DictReader(io.StringIO(client.get(url).content.decode()))
    }

    assert rows["2024"]["vaerdi"] == "86"
    assert rows["2024"]["kilde"] == "Beregnet ud fra 3 af 4 skolers tal"


def test_a_value_computed_from_one_school_is_one_schools(client):
    target, schools = reported_by_schools(schools=1)
    report(target, schools, [90])

    page = client.get(target.get_absolute_url()).text

    assert "Beregnet ud fra 1 af 1 skoles tal" in page


def test_when_not_all_reporters_are_schools_they_are_organizations(client):
    target, schools = reported_by_schools(schools=1)
    unit = OrganizationFactory(
        kind=Organization.Kind.LEARNING_CENTRE, parent=target.indicator.organization
    )
    target.indicator.reporting_organizations.add(unit)
    report(target, [*schools, unit], [80, 90])

    page = client.get(target.indicator.get_absolute_url()).text

    assert "Beregnet ud fra 2 af 2 organisationers tal" in page


def test_a_value_of_the_municipalitys_own_is_not_marked_as_computed(client, mean_of_schools):
    IndicatorValueFactory(indicator=mean_of_schools.indicator, period=2024, value=91)

    page = client.get(mean_of_schools.get_absolute_url()).text

    assert "91,0\xa0%" in page
    assert "Beregnet ud fra" not in page
    assert "beregnet</span>" not in page


def test_the_computed_number_is_written_the_readers_way(client):
    target, schools = reported_by_schools(
        Metric.Aggregation.SUM,
        schools=2,
        measure=Metric.Measure.QUANTITY,
        unit="elever",
        decimals=0,
    )
    report(target, schools, [700, 1100])

    assert "1.800\xa0elever" in client.get(target.indicator.get_absolute_url()).text
    assert "1,800\xa0elever" in client.get("/en" + target.indicator.get_absolute_url()).text


@pytest.mark.parametrize(
    ("aggregation", "explanation"),
    [
        (Metric.Aggregation.OWN, "men vises til sammenligning"),
        (Metric.Aggregation.SUM, "er indikatorens tal summen af disse tal"),
        (Metric.Aggregation.MEAN, "er indikatorens tal gennemsnittet af disse tal"),
        (
            Metric.Aggregation.WEIGHTED_MEAN,
            "hvor hvert tal vejer med antal elever i årgangen",
        ),
    ],
)
def test_the_schools_values_are_explained_by_the_metrics_aggregation(
    client, aggregation, explanation
):
    measure = {"measure": Metric.Measure.QUANTITY} if aggregation == "sum" else {}
    target, schools = reported_by_schools(
        aggregation, weight_label="antal elever i årgangen", **measure
    )
    report(target, schools, [80], weight=25)

    page = client.get(target.get_absolute_url()).text

    assert explanation in page


def test_a_computed_count_of_fewer_than_five_pupils_is_hidden_like_any_other(client):
    target, schools = reported_by_schools(
        schools=2,
        measure=Metric.Measure.COUNT,
        unit="elever",
        decimals=0,
        counts_pupils=True,
    )
    report(target, schools, [3, 4])

    page = client.get(target.indicator.get_absolute_url()).text

    assert "færre end 5\xa0elever" in page
    assert "Beregnet ud fra 2 af 2 skolers tal" in page
    assert ">4\xa0elever<" not in page
    assert "portal-chart__svg" not in page  # the hidden mean was the only value to draw


def test_the_comparison_page_says_how_a_value_was_computed(client, mean_of_schools):
    metric = mean_of_schools.indicator.metric
    metric.owner = None
    metric.save()

    page = client.get(reverse("portal:comparison", args=[metric.slug])).text

    assert "Beregnet ud fra 3 af 4 skolers tal" in page
    assert "Summen af" not in page
