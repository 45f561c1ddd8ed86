from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from simple_history.models import registered_models

from indicators.models import GoalTarget
from indicators.services import refresh_assessments
from municipalities.models import Organization

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seed"


class Command(BaseCommand):
    help = (
        "Load the five source documents from fixtures/seed into an empty database and give "
        "every seeded object a first history record, so that later changes show what they "
        "changed from. A database that already holds data is left alone (your edits stay), "
        "unless --force; loading twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="load even if the database holds data"
        )

    @transaction.atomic
    def handle(self, *args, force, verbosity, **options):
        if Organization.objects.exists() and not force:
            if verbosity:
                self.stdout.write("The database already holds data; the seed is not loaded again.")
            return
        call_command("loaddata", *sorted(SEED_DIR.glob("*.yaml")), verbosity=verbosity)
        # Fixtures are loaded without the signals that assess a target when it changes.
        assessed = refresh_assessments(GoalTarget.objects.all())
        started = 0
        for model in registered_models.values():
            if model._meta.auto_created:
                continue  # a many-to-many table, recorded with the model that holds it
            without_history = model._default_manager.exclude(
                pk__in=model.history.model.objects.values("id")
            )
            instances = list(without_history)
            if instances:
                model.history.bulk_history_create(instances, default_change_reason="Seed")
                started += len(instances)
        if verbosity:
            self.stdout.write(f"History started for {started} seeded object(s).")
            self.stdout.write(f"Assessed {assessed} goal target(s).")
