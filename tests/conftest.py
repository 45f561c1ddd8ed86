import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from indicators.models import GoalTarget, IndicatorValue
from indicators.services import refresh_assessments
from municipalities.models import Membership
from tests.factories import (
    GoalTargetFactory,
    IndicatorValueFactory,
    MembershipFactory,
    SchoolFactory,
    UserFactory,
)

# HYPOTHESIS_PROFILE=thorough runs the property tests on many more examples.
hypothesis_settings.register_profile("thorough", max_examples=5000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SEED_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "seed"


@pytest.fixture(autouse=True, scope="session")
def flush_by_deleting_on_postgresql():
    """PostgreSQL empties the tables after each transactional test (browser, migration,
    two-server tests) with DELETE instead of TRUNCATE. TRUNCATE gives each of the fifty-odd
    tables a new file, which took two seconds for each such test however few rows there
    were; DELETE of those few rows takes milliseconds. The same empty tables: the foreign
    keys are checked at the flush's commit and no trigger acts on DELETE. Flushes that
    reset sequences or cascade still truncate."""
    truncate = PostgreSQLOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PostgreSQLOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_seed_fixtures() -> None:
    """The five source documents as data, loaded from fixtures/seed and assessed. Faster than
    `load_seed`, which looks for each object first and records its history; fixtures load
    without the signals that assess a target, hence the refresh."""
    call_command("loaddata", *sorted(SEED_DIR.glob("*.yaml")), verbosity=0)
    refresh_assessments(GoalTarget.objects.all())


def rows_added_by(load, django_db_blocker) -> dict:
    """Every row that `load()` adds, by model: loaded in a transaction that is rolled back,
    and kept, to be inserted again (`insert_seed`) in much less time than loading takes."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        load()
        added = {
            model: [row for row in model._base_manager.all() if row.pk not in before[model]]
            for model in models
        }
        transaction.set_rollback(True)
    return {model: rows for model, rows in added.items() if rows}


@pytest.fixture(scope="session")
def seed_rows(django_db_setup, django_db_blocker) -> dict:
    """Every row that loading the seed adds, by model, loaded once per worker
    (`rows_added_by`). Reading the YAML and finding each natural key took a second or more
    for each of the hundred-odd tests that use the seed."""
    return rows_added_by(load_seed_fixtures, django_db_blocker)


@pytest.fixture(scope="session")
def live_seed_rows(django_db_setup, django_db_blocker) -> dict:
    """The rows of the seed's fixtures as loaddata adds them (raw: no stored assessments and
    no history), read once per worker, for the browser tests' `live_seed`; loaddata took
    three seconds for each of them."""
    return rows_added_by(
        lambda: call_command("loaddata", *sorted(SEED_DIR.glob("*.yaml")), verbosity=0),
        django_db_blocker,
    )


@pytest.fixture
def seed(db, seed_rows):
    """The seed (`load_seed_fixtures`), inserted row for row as it was loaded, keys and stored
    assessments included, fresh for each test: the test's transaction is rolled back after
    it, so a test that changes the seed changes it for itself alone."""
    insert_seed(seed_rows)


def insert_seed(seed_rows: dict) -> None:
    """`seed_rows` into the database, as `seed` does; also for a module's own transaction."""
    for model, rows in seed_rows.items():
        # Foreign keys are checked at commit on SQLite and PostgreSQL, so the order of the
        # models does not matter.
        model._base_manager.bulk_create(rows)
    # PostgreSQL's sequences do not move for rows inserted with their keys; SQLite's do.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(seed_rows)):
            cursor.execute(sql)


@pytest.fixture(autouse=True, scope="session")
def open_data_apart(tmp_path_factory):
    """Open-data files built by tests (a crawl that reaches /aabne-data/) go to a directory
    of the test run's, built in the request, never in a thread that would outlive the test."""
    django_settings.OPEN_DATA_DIR = tmp_path_factory.mktemp("open-data")
    django_settings.OPEN_DATA_BUILD_IN_BACKGROUND = False


@pytest.fixture(autouse=True)
def danish_by_default():
    # A request in another language leaves that language active in the thread; each test
    # starts in Danish, as the portal does.
    with translation.override("da"):
        yield


@pytest.fixture
def target_awaiting_review(db):
    """A published target with one approved value of 1.384 and a school's value of 4.711
    waiting for review (`.waiting`), and an editor of the municipality to review it
    (`.editor`)."""
    target = GoalTargetFactory(goal__text="Flere årselever")
    municipality = target.goal.strategy.owner
    school = SchoolFactory(parent=municipality)
    target.indicator.reporting_organizations.add(municipality, school)
    IndicatorValueFactory(indicator=target.indicator, period=2023, value=Decimal(1384))
    reporter = UserFactory(username="indberetter")
    MembershipFactory(user=reporter, organization=school, role=Membership.Role.REPORTER)
    target.waiting = IndicatorValueFactory(
        indicator=target.indicator,
        organization=school,
        period=2024,
        value=Decimal(4711),
        status=IndicatorValue.Status.SUBMITTED,
        entered_by=reporter,
    )
    target.editor = UserFactory(username="redaktoer", is_staff=True)
    MembershipFactory(user=target.editor, organization=municipality, role=Membership.Role.EDITOR)
    return target
