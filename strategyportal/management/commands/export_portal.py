"""Write the whole portal to one archive (strategyportal/backup.py says what is in it)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from strategyportal.backup import BackupError, export_portal


class Command(BaseCommand):
    help = (
        "Write every organization, user, membership, strategy, indicator, value and their "
        "history to one zip archive with a manifest, for import_portal into an empty "
        "database of the same release. Password hashes only with --with-passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive to write (it must not exist)")
        parser.add_argument(
            "--with-passwords",
            action="store_true",
            help="keep the users' password hashes (without, restored users set a new one)",
        )

    def handle(self, *args, path, with_passwords, verbosity, **options):
        started = time.perf_counter()
        try:
            manifest = export_portal(path=path, with_passwords=with_passwords)
        except FileExistsError:
            raise CommandError(f"{path} exists already; choose a new name.") from None
        except BackupError as error:
            raise CommandError(str(error)) from None
        if verbosity:
            rows = sum(table["rows"] for table in manifest["tables"].values())
            self.stdout.write(
                f"Wrote {rows:,} rows of {len(manifest['tables'])} tables to {path} "
                f"({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
                f"{', with password hashes' if with_passwords else ''}."
            )
