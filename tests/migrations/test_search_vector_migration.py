"""The migrations that store search vectors fill them for the rows there are, stemmed in each
text's language, and can be reversed."""

import pytest
from django.db import connection

from tests.migrations.test_goal_target_migration import latest, migrate

BEFORE = [
    ("municipalities", "0003_user_language"),
    ("goals", "0007_source_file_help"),
    ("indicators", "0013_target_assessments"),
]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the vectors are PostgreSQL's"
)


def make_rows(apps) -> None:
    model = apps.get_model
    municipality = model("municipalities", "Organization").objects.create(
        name="Kommun", slug="kommun", kind="municipality", country="SE"
    )
    strategy = model("goals", "Strategy").objects.create(
        owner=municipality, title="Skolplan", slug="skolplan", language="sv"
    )
    model("goals", "Goal").objects.create(
        strategy=strategy, text="Skolorna samarbetar", slug="skolorna"
    )
    metric = model("indicators", "Metric").objects.create(
        name="Behöriga",
        slug="behoriga",
        definition="Andel behöriga elever",
        unit="%",
        language="sv",
    )
    model("indicators", "Indicator").objects.create(
        organization=municipality, metric=metric, name="Behöriga", slug="behoriga"
    )


def vectors(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT search_vector::text FROM {table}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_rows_there_are_get_vectors_in_their_own_language():
    try:
        make_rows(migrate(BEFORE))

        migrate(latest())

        assert vectors("goals_strategy") == ["'skolplan':1A"]
        assert vectors("goals_goal") == ["'samarbet':2A 'skol':1A"]
        assert vectors("indicators_indicator") == ["'andel':2 'behör':1A,3 'elev':4"]
    finally:
        migrate(latest())
