"""The whole portal as one archive, and back (`manage.py export_portal`, `import_portal`).

An archive is a zip file: `manifest.json` and one JSON Lines member per table, a row a line,
in Django's serialization format. Rows keep their primary keys, as history rows, the admin's
log and the many-to-many tables name the objects they belong to by id; an archive is
therefore restored into an empty database of the same schema, never merged into one that
holds data. Content types and permissions are the target database's own (`migrate` makes
them, with ids of its own), so rows name them by natural key.

Every model of every installed app is backed up, except what `NOT_BACKED_UP` names: a model
added later is in the archive without anyone remembering to add it. Counts per table, a
SHA-256 of each member and the migrations the rows were written under are in the manifest;
an archive from another schema is refused, as a row may have a field more or less.
"""

import datetime
import hashlib
import io
import itertools
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from indicators.models import GoalTarget
from indicators.services import refresh_assessments
from municipalities.content_version import content_changed

FORMAT = "strategiportalen-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 2000

# What a restored portal does not need, by app label or model label, and why.
NOT_BACKED_UP = {
    # Made by `migrate` in every database; rows name them by natural key.
    "contenttypes": "made by migrate",
    "auth.permission": "made by migrate",
    # Operational: who is signed in, and failed logins that lock an address out for an hour.
    "sessions": "sessions end on restore; users sign in again",
    "axes": "login attempts and lockouts",
    # Derived from targets, milestones and values; `refresh_assessments` writes it again
    # after the import, by the rules of the release that restores it.
    "indicators.targetassessment": "recomputed by refresh_assessments",
}


class BackupError(Exception):
    """An archive that cannot be written or restored; the message says why."""


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose rows are in an archive, many-to-many tables and history included,
    in the order of the installed apps."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in NOT_BACKED_UP
        and model._meta.label_lower not in NOT_BACKED_UP
        and not model._meta.proxy
        and model._meta.managed
    ]


def schema_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest migration of each app with rows in an archive (and of the apps whose rows
    they name by natural key), all of which must be applied."""
    loader = MigrationLoader(connections[using])
    labels = {model._meta.app_label for model in backed_up_models()} | {"contenttypes", "auth"}
    leaves = sorted(node for node in loader.graph.leaf_nodes() if node[0] in labels)
    unapplied = [
        f"{app}.{name}" for app, name in leaves if (app, name) not in loader.applied_migrations
    ]
    if unapplied:
        raise BackupError(
            f"The database lacks migrations ({', '.join(unapplied)}); run manage.py migrate first."
        )
    state: dict[str, str] = {}
    for app, name in leaves:
        state[app] = f"{state[app]}+{name}" if app in state else name
    return state


class _Serializer(JSONLSerializer):
    """Django's JSON Lines rows, with content types and permissions by natural key, the
    rest by id; many-to-many tables are rows of their own (their ids kept, as history and
    the admin's log show them), and the users' password hashes only when asked for."""

    def __init__(self, *, with_passwords: bool):
        super().__init__()
        self.with_passwords = with_passwords
        self.permission_keys = {
            permission.pk: permission.natural_key()
            for permission in Permission.objects.select_related("content_type")
        }

    def handle_field(self, obj, field):
        is_hash = field.name == "password" and obj._meta.label == settings.AUTH_USER_MODEL
        if self.with_passwords or not is_hash:
            super().handle_field(obj, field)

    def handle_fk_field(self, obj, field):
        # By name, not id: the database restored into numbers its own content types and
        # permissions.
        related_model = field.remote_field.model
        related_id = getattr(obj, field.attname)
        if related_model is ContentType and related_id is not None:
            self._current[field.name] = ContentType.objects.get_for_id(related_id).natural_key()
        elif related_model is Permission and related_id is not None:
            self._current[field.name] = self.permission_keys[related_id]
        else:
            self._current[field.name] = self._value_from_field(obj, field)

    def handle_m2m_field(self, obj, field):
        pass  # the table's own rows are in the archive

    def end_object(self, obj):
        # A line at once: json.dump() would encode in Python and write token by token,
        # which took most of an export's time.
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self._current = None


class _Encoder(DjangoJSONEncoder):
    """Times to the microsecond, where Django's encoder keeps milliseconds: history records
    are ordered by their time, and a restored row should equal the exported one."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _HashingWriter:
    """Text written to a zip member, and its SHA-256 on the way."""

    def __init__(self, member):
        self.member, self.sha256 = member, hashlib.sha256()

    def write(self, text: str) -> None:
        data = text.encode()
        self.sha256.update(data)
        self.member.write(data)


def _member(model: type[models.Model]) -> str:
    return f"rows/{model._meta.label_lower}.jsonl"


def _counted(rows: Iterable, counter: list[int]) -> Iterator:
    for row in rows:
        counter[0] += 1
        yield row


def export_portal(*, path: Path, with_passwords: bool = False) -> dict:
    """Write every backed-up row to a new archive at `path`; return its manifest.

    Read in one transaction, on PostgreSQL a repeatable-read snapshot, so that the rows of
    one table agree with those of another even while the portal is being written to."""
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "with_passwords": with_passwords,
        "migrations": {},
        "tables": {},
    }
    if path.exists():
        raise FileExistsError(path)
    # Written under another name and renamed when whole, so that a failed export leaves no
    # archive that looks like one.
    partial = path.with_name(f".{path.name}.partial")
    try:
        _write(partial, manifest, with_passwords=with_passwords)
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _write(path: Path, manifest: dict, *, with_passwords: bool) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    # In a caller's transaction (a test's), its reads are the snapshot.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        manifest["migrations"] = schema_state()
        serializer = _Serializer(with_passwords=with_passwords)
        for model in backed_up_models():
            rows = model._base_manager.order_by("pk").iterator(chunk_size=CHUNK)
            counter = [0]
            member_info = zipfile.ZipInfo(_member(model), timezone.now().timetuple()[:6])
            member_info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(member_info, "w", force_zip64=True) as member:
                writer = _HashingWriter(member)
                serializer.serialize(_counted(rows, counter), stream=writer, cls=_Encoder)
            manifest["tables"][model._meta.label_lower] = {
                "rows": counter[0],
                "sha256": writer.sha256.hexdigest(),
            }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2))


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError):
        raise BackupError("This is no portal archive: it has no readable manifest.json.") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This archive is of format {manifest.get('format')!r} version "
            f"{manifest.get('format_version')!r}; this release reads {FORMAT!r} version "
            f"{FORMAT_VERSION}."
        )
    return manifest


def _check_archive(archive: zipfile.ZipFile, manifest: dict) -> list[type[models.Model]]:
    """The models of the archive's tables, once the archive is known to be whole and of this
    database's schema."""
    here = schema_state()
    if manifest["migrations"] != here:
        differences = ", ".join(
            f"{app}: archive {manifest['migrations'].get(app, '-')}, database {here.get(app, '-')}"
            for app in sorted(set(here) | set(manifest["migrations"]))
            if manifest["migrations"].get(app) != here.get(app)
        )
        raise BackupError(
            "The archive was written under other migrations than this database has "
            f"({differences}). Restore it with the release that wrote it, then migrate."
        )
    expected = {model._meta.label_lower: model for model in backed_up_models()}
    if set(manifest["tables"]) != set(expected):
        raise BackupError(
            "The archive's tables are not this release's: "
            f"{sorted(set(manifest['tables']) ^ set(expected))}."
        )
    for label, model in expected.items():
        sha256 = hashlib.sha256()
        try:
            with archive.open(_member(model)) as member:
                while block := member.read(1 << 20):
                    sha256.update(block)
        except (KeyError, zipfile.BadZipFile) as error:
            raise BackupError(f"The archive's rows of {label} cannot be read: {error}") from None
        if sha256.hexdigest() != manifest["tables"][label]["sha256"]:
            raise BackupError(f"The archive's rows of {label} do not match its checksum.")
    return list(expected.values())


def _nonempty_tables(models_: list[type[models.Model]]) -> list[str]:
    return [model._meta.label_lower for model in models_ if model._base_manager.exists()]


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    # Saved raw, as loaddata saves them (auto_now_add keeps the stored time, no signals),
    # but a batch per statement, where loaddata tries an UPDATE and then an INSERT per row.
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    model._base_manager._insert(objects, fields=fields, raw=True, using=DEFAULT_DB_ALIAS)


def import_portal(*, path: Path) -> dict[str, int]:
    """Restore the archive at `path` into this empty, migrated database; return the rows per
    table. One transaction: a failure leaves the database as empty as it was."""
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        models_ = _check_archive(archive, manifest)
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        with transaction.atomic():
            if nonempty := _nonempty_tables(models_):
                raise BackupError(
                    "The database is not empty (rows in "
                    f"{', '.join(nonempty[:5])}{', …' if len(nonempty) > 5 else ''}). "
                    "Restore into a new database after manage.py migrate, or empty this one "
                    "with manage.py flush."
                )
            for model in models_:
                with archive.open(_member(model)) as member:
                    rows = serializers.deserialize(
                        "jsonl", io.TextIOWrapper(member, encoding="utf-8")
                    )
                    for batch in itertools.batched(rows, CHUNK):
                        objects = [row.object for row in batch]
                        if model is user_model and not manifest["with_passwords"]:
                            # They choose one through a password reset or an invitation.
                            for user in objects:
                                user.set_unusable_password()
                        _insert(model, objects)
            connection = connections[DEFAULT_DB_ALIAS]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models_):
                    cursor.execute(sql)
            counts = {model._meta.label_lower: model._base_manager.count() for model in models_}
            for label, count in counts.items():
                if count != manifest["tables"][label]["rows"]:
                    raise BackupError(
                        f"{label}: {count} rows restored, the archive says "
                        f"{manifest['tables'][label]['rows']}; nothing was restored."
                    )
            refresh_assessments(GoalTarget.objects.all())
            content_changed()
    return counts
