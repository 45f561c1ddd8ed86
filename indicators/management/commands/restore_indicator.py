"""Restore a deleted indicator from its history, as the »Gendan« button on its admin history
page does: with its reporting organizations and the values deleted with it."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from indicators.services import indicator_restore
from municipalities.models import User


class Command(BaseCommand):
    help = (
        "Restore a deleted indicator by its id, with its reporting organizations and the "
        "values deleted with it. The history records the superuser given by --user."
    )

    def add_arguments(self, parser):
        parser.add_argument("indicator_id", type=int)
        parser.add_argument("--user", required=True, help="A superuser's username.")

    def handle(self, *args, indicator_id, user, verbosity, **options):
        superuser = User.objects.filter(username=user, is_superuser=True).first()
        if superuser is None:
            raise CommandError(f"No superuser named {user!r}.")
        try:
            indicator = indicator_restore(indicator_id=indicator_id, user=superuser)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if verbosity:
            self.stdout.write(
                f"Restored {indicator} with {indicator.values.count()} value(s) and "
                f"{indicator.reporting_organizations.count()} reporting organization(s)."
            )
