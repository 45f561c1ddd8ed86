"""/api/v1/reference-figures/: the published figures the comparisons set beside the
organizations' own, with their source, filtered by metric, organization, country, scope and
period."""

from datetime import date

import pytest

from indicators.models import ReferenceFigure
from tests.api.conftest import every_row
from tests.factories import ReferenceFigureFactory

pytestmark = pytest.mark.django_db

IN_PROGRESS = "uddannelsesstatus-9-maaneder-i-gang"


def test_the_list_holds_every_figure_of_the_seed(client, seed):
    rows = every_row(client, "/api/v1/reference-figures/")

    assert len(rows) == ReferenceFigure.objects.count() > 0
    latest = next(
        row
        for row in rows
        if row["metric"] == IN_PROGRESS
        and row["label"] == "Herning Kommune"
        and row["period"] == 2014
    )
    assert latest == {
        "id": latest["id"],
        "metric": IN_PROGRESS,
        "label": "Herning Kommune",
        "scope": "organization",
        "organization": "herning-kommune",
        "country": "DK",
        "period": 2014,
        "period_label": "2014/15",
        "value": 77.7,
        "source": latest["source"],
        "source_url": "https://skole.herning.dk/",
        "retrieved_on": None,
        "note": "",
    }
    assert latest["source"].startswith("Herning Kommune: Kvalitetsrapport")


def test_a_national_figure_has_no_organization(client, seed):
    rows = every_row(client, "/api/v1/reference-figures/?scope=country")

    assert rows
    assert {row["organization"] for row in rows} == {None}
    assert {row["scope"] for row in rows} == {"country"}


def test_the_list_is_filtered_by_metric_organization_and_period(client, seed):
    def found(query: str) -> set[tuple[str, int]]:
        rows = every_row(client, f"/api/v1/reference-figures/?{query}")
        return {(row["label"], row["period"]) for row in rows}

    years = range(2011, 2015)
    assert found(f"metric={IN_PROGRESS}") == {
        (label, year) for label in ("Herning Kommune", "Hele landet") for year in years
    }
    assert found(f"metric={IN_PROGRESS}&organization=herning-kommune") == {
        ("Herning Kommune", year) for year in years
    }
    assert found(f"metric={IN_PROGRESS}&period=2014") == {
        ("Herning Kommune", 2014),
        ("Hele landet", 2014),
    }
    assert found("organization=herning-kommune") >= {("Herning Kommune", 2014)}
    assert found("metric=no-such-metric") == set()
    assert found("country=SE") == set()


def test_the_date_a_figure_was_retrieved_is_given(client):
    ReferenceFigureFactory(retrieved_on=date(2025, 3, 4), source_url="https://www.dst.dk/")

    (row,) = every_row(client, "/api/v1/reference-figures/")

    assert (row["retrieved_on"], row["source_url"], row["value"]) == (
        "2025-03-04",
        "https://www.dst.dk/",
        89.9,
    )


def test_an_unknown_scope_is_a_400(client, db):
    assert client.get("/api/v1/reference-figures/?scope=planet").status_code == 400
