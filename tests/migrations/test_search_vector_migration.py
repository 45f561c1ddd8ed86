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
        # Diacritics folded since goals/0011 ("behöriga" and "behoriga" find the same).
        assert vectors("indicators_indicator") == ["'andel':2 'behor':1A,3 'elev':4"]
    finally:
        migrate(latest())


BEFORE_FOLDING = [
    ("goals", "0010_working_model_drafts"),
    ("indicators", "0016_verdict_missed"),
]


def words() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM goals_searchword ORDER BY word")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_rows_there_are_get_folded_vectors_themes_and_working_models_too_and_words():
    try:
        apps = migrate(BEFORE_FOLDING)
        make_rows(apps)
        theme = apps.get_model("goals", "Theme").objects.create(
            name="Breddad rekrytering", slug="breddad", language="sv"
        )
        apps.get_model("goals", "WorkingModel").objects.create(
            organization=apps.get_model("municipalities", "Organization").objects.get(),
            theme=theme,
            name="Lärcentrum",
            slug="larcentrum",
            description="Vi samarbetar",
            language="sv",
        )

        migrate(latest())

        assert vectors("indicators_indicator") == ["'andel':2 'behor':1A,3 'elev':4"]
        assert vectors("goals_theme") == ["'bredd':1A 'rekrytering':2A"]
        assert vectors("goals_workingmodel") == ["'larcentrum':1A 'samarbet':3"]
        assert "behöriga" in words()
        assert "lärcentrum" in words()
        assert "samarbetar" in words()

        migrate(BEFORE_FOLDING)

        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('goals_searchword'), content_search_config('sv')")
            assert cursor.fetchone() == (None, "swedish")
    finally:
        migrate(latest())
