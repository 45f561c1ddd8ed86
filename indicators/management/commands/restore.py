"""Restore a deleted indicator, goal target, goal or strategy from its history, as the
»Gendan« button on its admin history page does: with what was deleted with it."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from indicators import services
from municipalities.models import User

# Each kind with its service and the key word that service takes the id by.
RESTORES = {
    "indicator": (services.indicator_restore, "indicator_id"),
    "target": (services.target_restore, "target_id"),
    "goal": (services.goal_restore, "goal_id"),
    "strategy": (services.strategy_restore, "strategy_id"),
}


class Command(BaseCommand):
    help = (
        "Restore a deleted indicator (with its reporting organizations and values), goal "
        "target (with its milestones), goal (with its targets and actions) or strategy (with "
        "its focus areas, goals and actions) by its id, with what was deleted with it. The "
        "history records the superuser given by --user."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=RESTORES)
        parser.add_argument("id", type=int)
        parser.add_argument("--user", required=True, help="A superuser's username.")

    def handle(self, *args, kind, id, user, verbosity, **options):
        superuser = User.objects.filter(username=user, is_superuser=True).first()
        if superuser is None:
            raise CommandError(f"No superuser named {user!r}.")
        restore, key = RESTORES[kind]
        try:
            restored = restore(**{key: id}, user=superuser)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if verbosity:
            self.stdout.write(f"Restored the {kind} {restored}.")
