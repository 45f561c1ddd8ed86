"""Migrations that only PostgreSQL runs: the stored search vectors of full-text search.

SQLite, the development database, searches by plain matching and has neither the columns
nor the triggers that fill them, so these operations do nothing there.
"""

from django.db import migrations


def run_on_postgresql(forwards: str, backwards: str) -> migrations.RunPython:
    def run(sql: str):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql, params=None)

        return operation

    return migrations.RunPython(run(forwards), run(backwards), elidable=False)
