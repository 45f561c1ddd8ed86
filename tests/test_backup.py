"""export_portal and import_portal (strategyportal/backup.py): every row comes back."""

import json
import zipfile
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.utils import timezone

from goals.models import Strategy
from indicators.models import (
    GoalTarget,
    IndicatorValue,
    StatisticsLink,
    TargetAssessment,
    Update,
)
from municipalities.models import Membership, Organization, User
from strategyportal.backup import backed_up_models
from tests.factories import (
    ActionFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    MembershipFactory,
    MentorshipFactory,
    MilestoneFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    ReferenceFigureFactory,
    ReminderSentFactory,
    ReportingRoundFactory,
    SchoolFactory,
    StatusReportFactory,
    StrategyFactory,
    StrategyTermFactory,
    SubscriptionFactory,
    ThemeFactory,
    UserFactory,
    ValueUploadFactory,
)


@pytest.fixture(autouse=True)
def content_types_forgotten_afterwards():
    # A test that renumbers the content types caches the new ids; its rollback restores
    # the old ones.
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def portal(seed):
    """The seed and, beside it, a row in every table a backup holds."""
    editor = UserFactory(username="redaktoer", first_name="Rita")
    group = Group.objects.create(name="Redaktører")
    group.permissions.add(Permission.objects.get(codename="change_strategy"))
    editor.groups.add(group)
    editor.user_permissions.add(Permission.objects.get(codename="view_indicatorvalue"))
    reporter = UserFactory(username="indberetter")
    municipality = Organization.objects.order_by("pk").first()
    MembershipFactory(user=editor, organization=municipality, role=Membership.Role.EDITOR)
    school = SchoolFactory(parent=municipality)
    MembershipFactory(user=reporter, organization=school, role=Membership.Role.REPORTER)
    NetworkMembershipFactory()

    target = GoalTargetFactory(goal__strategy__owner=municipality)
    MilestoneFactory(target=target)
    ActionFactory(focus_area=target.goal.focus_area)
    target.goal.themes.add(ThemeFactory())
    target.indicator.reporting_organizations.add(school)  # a many-to-many history record
    for period, status in enumerate(IndicatorValue.Status.values, start=2020):
        IndicatorValueFactory(
            indicator=target.indicator,
            organization=school,
            period=period,
            status=status,
            entered_by=reporter,
            weight=Decimal("12.5"),
        )
    corrected = target.indicator.values.get(status=IndicatorValue.Status.APPROVED)
    corrected.value, corrected.reviewed_by = Decimal("1512.25"), editor
    corrected._change_reason = "Rettet efter gennemgang"
    corrected.save()
    Update.objects.create(
        kind=Update.Kind.VALUE_APPROVED,
        target=target,
        value=corrected,
        organization=municipality,
        strategy=target.goal.strategy,
        goal=target.goal,
        payload={"period": corrected.period},
    )
    SubscriptionFactory(goal=target.goal)
    StrategyFactory(owner=municipality, status=Strategy.Status.DRAFT)
    StrategyFactory(owner=municipality, archived_at=timezone.now())
    StrategyTermFactory()
    StatusReportFactory(strategy=target.goal.strategy, generated_by=editor)
    MentorshipFactory()
    ReferenceFigureFactory()
    StatisticsLink.objects.create(
        indicator=target.indicator,
        service=StatisticsLink.Service.STATBANK,
        table="UDDA42",
        variables={"KØN": ["TOT"]},
        scale=Decimal("0.5"),
        last_fetched_at=timezone.now(),
        last_result="3 nye, 0 ændrede og 0 uændrede tal.",
    )
    reporting_round = ReportingRoundFactory(organization=school, created_by=editor)
    ReminderSentFactory(user=reporter, reporting_round=reporting_round)
    ValueUploadFactory(
        uploaded_by=editor,
        reporting_round=reporting_round,
        rows=[{"indikator": "årselever", "værdi": "1.384"}],
    )
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Strategy),
        object_id=str(target.goal.strategy_id),
        object_repr=str(target.goal.strategy),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Titel"]}}]',
    )


def every_row() -> dict[str, list[dict]]:
    """Each table's rows, field by field, with content types and permissions by natural key
    (their ids are the database's own)."""
    tables = {}
    for model in [*backed_up_models(), TargetAssessment]:
        by_natural_key = {
            field.attname: field.related_model
            for field in model._meta.concrete_fields
            if field.related_model in (ContentType, Permission)
        }
        rows = list(model._base_manager.order_by("pk").values())
        for row in rows:
            for attname, related_model in by_natural_key.items():
                row[attname] = related_model.objects.get(pk=row[attname]).natural_key()
            if model is TargetAssessment:
                del row["assessed_at"]  # when it was computed again
        tables[model._meta.label_lower] = rows
    return tables


def empty_the_database():
    """A database as `migrate` leaves it, whose content types and permissions have other
    ids than the exported database's."""
    # PostgreSQL truncates no table with foreign-key checks still pending in the test's
    # transaction; this runs them now.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    Permission.objects.update(id=F("id") + 1000, content_type_id=F("content_type_id") + 1000)
    ContentType.objects.update(id=F("id") + 1000)
    ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_an_archive_restores_every_row_of_the_portal(portal, tmp_path):
    before = every_row()
    assert all(before.values()), [label for label, rows in before.items() if not rows]
    archive = tmp_path / "portal.zip"

    call_command("export_portal", archive, "--with-passwords", verbosity=0)
    empty_the_database()
    assert not Organization.objects.exists()
    call_command("import_portal", archive, verbosity=0)

    after = every_row()
    for label, rows in before.items():
        assert after[label] == rows, label
    assert User.objects.get(username="redaktoer").check_password("correct horse battery staple")


@pytest.mark.django_db
def test_a_restored_portal_numbers_new_rows_after_the_restored_ones(portal, tmp_path):
    archive = tmp_path / "portal.zip"
    call_command("export_portal", archive, verbosity=0)
    highest = Organization.objects.order_by("-pk").first().pk
    empty_the_database()
    call_command("import_portal", archive, verbosity=0)

    assert OrganizationFactory().pk > highest
    assert GoalTarget.objects.count() == TargetAssessment.objects.count()


@pytest.mark.django_db
def test_an_archive_without_passwords_holds_no_password_hash(portal, tmp_path):
    hashes = set(User.objects.values_list("password", flat=True))
    assert all(hashes)
    archive = tmp_path / "portal.zip"

    call_command("export_portal", archive, verbosity=0)

    with zipfile.ZipFile(archive) as opened:
        text = "".join(opened.read(name).decode() for name in opened.namelist())
        users = opened.read(f"rows/{User._meta.label_lower}.jsonl").decode().splitlines()
    assert not any(password_hash in text for password_hash in hashes)
    assert users
    assert all("password" not in json.loads(line)["fields"] for line in users)


@pytest.mark.django_db
def test_users_restored_without_passwords_have_none_that_works(portal, tmp_path):
    archive = tmp_path / "portal.zip"
    call_command("export_portal", archive, verbosity=0)
    empty_the_database()
    call_command("import_portal", archive, verbosity=0)

    editor = User.objects.get(username="redaktoer")
    assert not editor.has_usable_password()
    assert editor.first_name == "Rita"


@pytest.mark.django_db
def test_import_refuses_a_database_that_holds_data(portal, tmp_path):
    archive = tmp_path / "portal.zip"
    call_command("export_portal", archive, verbosity=0)
    rows = Organization.objects.count()

    with pytest.raises(CommandError, match="not empty"):
        call_command("import_portal", archive, verbosity=0)
    assert Organization.objects.count() == rows


def rewritten(archive, edit) -> None:
    """`archive` with its manifest changed by `edit`."""
    with zipfile.ZipFile(archive) as opened:
        members = {name: opened.read(name) for name in opened.namelist()}
    manifest = json.loads(members["manifest.json"])
    edit(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(archive, "w") as opened:
        for name, data in members.items():
            opened.writestr(name, data)


@pytest.mark.django_db
def test_import_refuses_an_archive_of_another_schema(portal, tmp_path):
    archive = tmp_path / "portal.zip"
    call_command("export_portal", archive, verbosity=0)
    rewritten(archive, lambda manifest: manifest["migrations"].update(goals="0099_future"))
    empty_the_database()

    with pytest.raises(CommandError, match=r"other migrations .*goals: archive 0099_future"):
        call_command("import_portal", archive, verbosity=0)
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_import_refuses_an_archive_of_another_format_version(portal, tmp_path):
    archive = tmp_path / "portal.zip"
    call_command("export_portal", archive, verbosity=0)
    rewritten(archive, lambda manifest: manifest.update(format_version=2))
    empty_the_database()

    with pytest.raises(CommandError, match="version 2; this release reads"):
        call_command("import_portal", archive, verbosity=0)


@pytest.mark.django_db
def test_import_refuses_an_archive_whose_rows_do_not_match_its_checksum(portal, tmp_path):
    archive = tmp_path / "portal.zip"
    call_command("export_portal", archive, verbosity=0)
    label = Organization._meta.label_lower
    rewritten(archive, lambda manifest: manifest["tables"][label].update(sha256="0" * 64))
    empty_the_database()

    with pytest.raises(CommandError, match=f"rows of {label} do not match its checksum"):
        call_command("import_portal", archive, verbosity=0)


@pytest.mark.django_db
def test_export_does_not_overwrite_an_archive(tmp_path):
    archive = tmp_path / "portal.zip"
    archive.write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="exists already"):
        call_command("export_portal", archive, verbosity=0)
    assert archive.read_bytes() == b"an older backup"
