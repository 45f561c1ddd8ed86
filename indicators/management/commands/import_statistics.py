"""Fetch the values of indicators linked to public statistics and enter the new and changed
ones for review (`indicators.statistics.imports`). Run it daily; see the README.

Each indicator is imported on its own, all or nothing: one that fails leaves the others
imported, and the command ends with exit code 1 and says which failed and why.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from indicators.models import StatisticsLink
from indicators.statistics.client import StatisticsError
from indicators.statistics.imports import Preview, statistics_import, statistics_preview
from indicators.wording import format_quantity
from municipalities.models import User


class Command(BaseCommand):
    help = (
        "Fetch the values of the indicators linked to Statistics Denmark or Kolada and submit "
        "the new and changed ones for an editor's approval. --dry-run shows them and saves "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--indicator", help="Only this indicator: its id, or organization-slug/slug."
        )
        parser.add_argument(
            "--user",
            help="The editor or superuser the values are entered by (not needed with --dry-run).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show, save nothing.")

    def handle(self, *args, indicator=None, user=None, dry_run=False, verbosity=1, **options):
        importer = None
        if not dry_run:
            if not user:
                raise CommandError("--user is needed to import (or use --dry-run).")
            importer = User.objects.filter(username=user, is_active=True).first()
            if importer is None:
                raise CommandError(f"No active user {user!r}.")
        failed = []
        for link in self._links(indicator):
            try:
                if dry_run:
                    preview = statistics_preview(link=link)
                else:
                    preview = statistics_import(link=link, user=importer)
            except (StatisticsError, ValidationError, PermissionDenied) as error:
                failed.append(link)
                messages = getattr(error, "messages", None) or [str(error) or "Permission denied"]
                self.stderr.write(f"{link.indicator}: " + " ".join(messages))
                continue
            if verbosity:
                self._show(preview)
            if preview.problems:  # a dry run's; an import refuses them above
                failed.append(link)
        if failed:
            raise CommandError(f"{len(failed)} indicator(s) could not be imported.")

    def _links(self, indicator: str | None):
        links = StatisticsLink.objects.select_related(
            "indicator__organization", "indicator__metric"
        ).filter(indicator__archived_at=None)
        if indicator is None:
            return links.order_by("indicator__organization__name", "indicator__name")
        if indicator.isdigit():
            chosen = links.filter(indicator__pk=int(indicator))
        else:
            organization, _slash, slug = indicator.rpartition("/")
            chosen = links.filter(indicator__slug=slug)
            if organization:
                chosen = chosen.filter(indicator__organization__slug=organization)
        found = list(chosen[:2])
        if len(found) != 1:
            raise CommandError(
                f"{indicator!r} names {'no' if not found else 'more than one'} indicator linked "
                "to statistics; give its id or organization-slug/slug."
            )
        return found

    def _show(self, preview: Preview) -> None:
        indicator = preview.link.indicator
        self.stdout.write(f"{indicator} ({indicator.organization}) ← {preview.link.source}")
        for row in preview.writes:
            new = format_quantity(row.value, indicator.unit, indicator.decimals)
            old = (
                "new"
                if row.old is None
                else format_quantity(row.old, indicator.unit, indicator.decimals) + " →"
            )
            self.stdout.write(
                f"  {row.organization}\t{indicator.period_label(row.period)}\t{old}\t{new}"
            )
        for problem in preview.problems:
            self.stdout.write(f"  ! {problem}")
        self.stdout.write(f"  {preview.summary}")
