"""Restore an archive of export_portal into an empty database (strategyportal/backup.py)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError

from strategyportal.backup import BackupError, import_portal


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_portal into this database, which must be "
        "migrated and empty (manage.py migrate on a new database, or manage.py flush). "
        "All or nothing, in one transaction; the stored assessments are computed again."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive to restore")

    def handle(self, *args, path, verbosity, **options):
        started = time.perf_counter()
        try:
            counts = import_portal(path=path)
        except FileNotFoundError:
            raise CommandError(f"No archive at {path}.") from None
        except BackupError as error:
            raise CommandError(str(error)) from None
        except (DeserializationError, DatabaseError) as error:
            raise CommandError(
                f"The archive's rows do not fit this database; nothing was restored. {error}"
            ) from error
        if verbosity:
            self.stdout.write(
                f"Restored {sum(counts.values()):,} rows of {len(counts)} tables from {path} "
                f"in {time.perf_counter() - started:.1f} s."
            )
