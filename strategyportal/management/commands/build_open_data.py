from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from strategyportal.opendata.builds import refresh


class Command(BaseCommand):
    help = (
        "Build the open-data files (CSV in a zip, Excel, JSON, datapackage.json) into "
        "OPEN_DATA_DIR if the data have changed since the last build; run it from cron and "
        "after an import, so that visitors are served current files. Waits while another "
        "process builds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="build even if the data have not changed"
        )

    def handle(self, *args, force, verbosity, **options):
        build = refresh(wait=True, force=force)
        if verbosity:
            self.stdout.write(f"{build.directory} ({build.seconds} s to build)")
            for name, size in build.files.items():
                self.stdout.write(f"  {name:<32} {filesizeformat(size):>10}")
