from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from strategyportal.opendata.builds import refresh


class Command(BaseCommand):
    help = (
        "Build the open-data files (CSV in a zip, Excel, JSON, datapackage.json) into "
        "OPEN_DATA_DIR if the data have changed since the last build; run it from cron and "
        "after an import, so that visitors are served current files. Waits while another "
        "process builds. A build that fails or takes longer than OPEN_DATA_BUILD_TIMEOUT "
        "seconds is logged and ends the command with an error; the last good build stays."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="build even if the data have not changed"
        )
        parser.add_argument(
            "--if-idle",
            action="store_true",
            help=(
                "build nothing if another process is building or an attempt began less than "
                "OPEN_DATA_REBUILD_AFTER seconds ago (how requests start a build)"
            ),
        )

    def handle(self, *args, force, if_idle, verbosity, **options):
        try:
            build = refresh(
                force=force, if_idle=if_idle, time_limit=settings.OPEN_DATA_BUILD_TIMEOUT
            )
        except Exception as error:
            # Logged with its traceback by refresh(); the exit status tells cron.
            raise CommandError(f"The open-data build failed: {error}") from error
        if not verbosity:
            return
        if build is None:
            self.stdout.write("Another process is building, or began a build recently.")
            return
        self.stdout.write(f"{build.directory} ({build.seconds} s to build)")
        for name, size in build.files.items():
            self.stdout.write(f"  {name:<32} {filesizeformat(size):>10}")
