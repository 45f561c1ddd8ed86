"""Remind reporters of what their organizations still owe in open reporting rounds.

Meant to run once a day from cron (see README, "E-mail"):

    15 6 * * * cd /srv/strategiportalen && .venv/bin/python manage.py send_reminders

Each round has the same schedule around its deadline (SCHEDULE). On a given day the latest
point of it that has been reached is due; a point passed on a day the command did not run is
not sent afterwards, so a reporter never gets two reminders of one round at once. Every
reminder sent is recorded (ReminderSent), so running the command twice sends nothing new.
"""

import datetime
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from indicators import notifications
from indicators.models import ReminderSent, ReportingRound
from indicators.rounds import STATE_ORDER, Due, RoundState, round_table
from municipalities.models import Membership, User

# Days after the deadline (negative: before it): a week before, the day before, the day
# after, and a week after that.
SCHEDULE = (-7, -1, 1, 8)

# What a reporter still has to do something about; a submitted value waits for an editor.
OWED = {RoundState.MISSING, RoundState.DRAFT, RoundState.REJECTED}


def due_point(deadline: datetime.date, today: datetime.date) -> int | None:
    """The latest point of the schedule reached on `today`, or None before the first."""
    days_after = (today - deadline).days
    return max((days for days in SCHEDULE if days <= days_after), default=None)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = (
        "E-mail each reporter what their organizations still owe in open reporting rounds, "
        f"{', '.join(f'{days:+d}' for days in SCHEDULE)} days from the deadline; "
        "never the same reminder twice. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list who would get which reminder; send and record nothing",
        )
        parser.add_argument(
            "--today",
            type=_date,
            help="act as if it were this day (YYYY-MM-DD), for testing or catching up",
        )

    def handle(self, *args, dry_run: bool, today: datetime.date | None, **options):
        today = today or timezone.localdate()
        reminders = self.reminders_due(today)
        if dry_run:
            for reporting_round, days, user, dues in reminders:
                self.stdout.write(
                    f"Would send {user.email} the reminder {days:+d} days from the deadline "
                    f"{reporting_round.deadline} of {reporting_round} "
                    f"({reporting_round.organization}): "
                    + ", ".join(due.organization.name for due in dues)
                )
            self.stdout.write(f"Dry run: {len(reminders)} reminder(s) would be sent.")
            return
        messages = [
            notifications.compose(
                user,
                "indicators/email/reminder.txt",
                {"round": reporting_round, "overdue": days > 0, "dues": dues},
            )
            for reporting_round, days, user, dues in reminders
        ]
        sent = {id(message) for message in notifications.send(messages)}
        # Recorded all at once after sending, so that the queries do not grow with the number
        # of reporters; `send` never raises, so a failure midway still records what went out.
        ReminderSent.objects.bulk_create(
            [
                ReminderSent(reporting_round=reporting_round, user=user, days=days)
                for (reporting_round, days, user, _dues), message in zip(
                    reminders, messages, strict=True
                )
                if id(message) in sent
            ],
            ignore_conflicts=True,
        )
        self.stdout.write(f"Sent {len(sent)} reminder(s).")
        if len(sent) < len(messages):
            raise CommandError(
                f"{len(messages) - len(sent)} reminder(s) could not be sent (see the log); "
                "they are tried again on the next run."
            )

    def reminders_due(
        self, today: datetime.date
    ) -> list[tuple[ReportingRound, int, User, list[Due]]]:
        """(round, schedule point, reporter, what their organizations owe) for every reminder
        due on `today` and not sent before. A fixed number of queries per round, whatever the
        number of schools."""
        rounds = []
        for reporting_round in (
            ReportingRound.objects.open().select_related("organization").order_by("deadline", "pk")
        ):
            days = due_point(reporting_round.deadline, today)
            if days is not None:
                rounds.append((reporting_round, days))
        if not rounds:
            return []
        owed = {}  # round id → organization id → Due
        for reporting_round, _days in rounds:
            dues = {}
            for cell in round_table(reporting_round).cells.values():
                if cell.state in OWED:
                    dues.setdefault(cell.organization.pk, Due(cell.organization)).cells.append(cell)
            for due in dues.values():
                due.cells.sort(key=lambda cell: (STATE_ORDER[cell.state], cell.indicator.name))
            owed[reporting_round.pk] = dues
        owing = set().union(*(dues.keys() for dues in owed.values()))
        reporters = defaultdict(list)  # organization id → users
        for membership in (
            Membership.objects.filter(
                role=Membership.Role.REPORTER, organization__in=owing, user__is_active=True
            )
            .exclude(user__email="")
            .select_related("user")
            .order_by("user__username", "organization__name")
        ):
            reporters[membership.organization_id].append(membership.user)
        already = set(
            ReminderSent.objects.filter(
                reporting_round__in=[reporting_round for reporting_round, _days in rounds]
            ).values_list("reporting_round_id", "user_id", "days")
        )
        reminders = []
        for reporting_round, days in rounds:
            # One e-mail per person and round, however many schools they report for.
            per_user = {}
            for organization_id, due in sorted(
                owed[reporting_round.pk].items(), key=lambda item: item[1].organization.name
            ):
                for user in reporters[organization_id]:
                    if (reporting_round.pk, user.pk, days) not in already:
                        per_user.setdefault(user.pk, (user, []))[1].append(due)
            reminders.extend(
                (reporting_round, days, user, dues)
                for user, dues in sorted(per_user.values(), key=lambda item: item[0].username)
            )
        return reminders
