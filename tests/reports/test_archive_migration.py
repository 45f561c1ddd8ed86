"""goals/0012_status_reports can be reversed and applied again."""

import pytest
from django.db import connection

from tests.migrations.test_goal_target_migration import latest, migrate

BEFORE = [("goals", "0011_search_folding_themes_and_words")]


def tables() -> list[str]:
    return connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_the_status_reports_table_goes_and_comes_back():
    try:
        migrate(BEFORE)
        assert "goals_statusreport" not in tables()

        apps = migrate(latest())

        assert "goals_statusreport" in tables()
        assert apps.get_model("goals", "StatusReport").objects.count() == 0
    finally:
        migrate(latest())
