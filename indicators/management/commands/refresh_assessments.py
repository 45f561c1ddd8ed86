"""Assess every goal target again and store the results (`TargetAssessment`).

Every change to what an assessment is made of refreshes it already, in the same transaction
(`indicators/signals.py`), and nothing in an assessment depends on the date, so this needs no
schedule. Run it after a release that changes the progress rules (`indicators/progress.py`),
and after loading data without the models' signals (`manage.py loaddata`, SQL by hand).

It records no event for followers (`record_updates=False`): a verdict changed by a change of
the rules, or by data loaded by hand, is no news about a goal, and a release would otherwise
mail every follower of thousands of targets at once.
"""

import time

from django.core.management.base import BaseCommand

from indicators.models import GoalTarget
from indicators.services import refresh_assessments


class Command(BaseCommand):
    help = (
        "Assess every goal target by the progress rules and store the result, a batch of "
        "indicators at a time. Run it after a release that changes the rules, or after "
        "loading data by hand; every other change refreshes what it affects by itself."
    )

    def handle(self, *args, verbosity, **options):
        started = time.perf_counter()
        stored = refresh_assessments(GoalTarget.objects.all(), record_updates=False)
        if verbosity:
            self.stdout.write(
                f"Assessed {stored:,} goal target(s) in {time.perf_counter() - started:.1f} s."
            )
