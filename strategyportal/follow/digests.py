"""The weekly digest (`manage.py send_follow_digests`, run daily from cron): each confirmed
subscription is sent what happened since its last digest (or since it was confirmed), at most
about once every DIGEST_INTERVAL, and nothing at all when nothing happened.

Two rules keep a digest from being sent twice or an event from being missed:

- Each subscription is claimed before its digest is written: `last_sent_at` is set to this
  run's moment only if it still holds what this run read, so of two runs at once only one
  sends; a digest that could not be made or sent gives the claim back (an error is logged,
  and the run goes on with the others), and the next run tries again. A process killed
  between the claim and the sending loses that one digest's week; it never sends one twice.
- A digest tells the events up to SETTLE before its run, and the next one starts there. An
  event is dated when its transaction writes it (`Update.occurred_at`) and becomes readable
  only when that transaction commits; the transactions that record events are one approval,
  one save or one target's refresh, which commit well within SETTLE, so an event that was not
  yet committed at one run is read by the next rather than lost. (Ordering by id would not do:
  PostgreSQL hands out ids at insert, not at commit.)"""

import logging
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from indicators import notifications
from indicators.models import Subscription
from strategyportal.follow import mails
from strategyportal.follow.feeds import entries_for

DIGEST_INTERVAL = timedelta(days=7)
# A daily run starts a few seconds earlier or later each day: a week's last digest is due on
# the seventh day's run even when that run starts before the hour of the last one.
SLACK = timedelta(hours=1)
SETTLE = timedelta(minutes=10)

logger = logging.getLogger(__name__)


def due(now: datetime):
    """The confirmed subscriptions whose last digest is (about) a week old or that never had
    one."""
    return Subscription.objects.filter(
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - DIGEST_INTERVAL + SLACK),
        confirmed_at__isnull=False,
    ).select_related("organization", "strategy__owner", "goal__strategy__owner")


def send_digests(*, now: datetime | None = None) -> int:
    """Send the digests due at `now`, one subscription at a time, and return how many were
    sent."""
    now = now or timezone.now()
    sent = 0
    for subscription in due(now):
        before = subscription.last_sent_at
        if not _claimed(subscription.pk, since=before, now=now):
            continue  # another run has it
        try:
            done = _send(subscription, before=before, now=now)
        except Exception:
            # One digest that cannot be made must not hold back every one after it, each day.
            logger.exception("The digest of subscription %s was not sent", subscription.pk)
            done = False
        except BaseException:
            _give_back(subscription.pk, before=before, now=now)
            raise
        if done:
            sent += 1
        else:
            _give_back(subscription.pk, before=before, now=now)
    return sent


def _send(subscription: Subscription, *, before: datetime | None, now: datetime) -> bool:
    since = before - SETTLE if before else subscription.confirmed_at
    updates = entries_for(subscription.followed, since=since, until=now - SETTLE)
    if not updates:
        return False
    return bool(notifications.send([mails.digest(subscription, updates)]))


def _claimed(pk: int, *, since: datetime | None, now: datetime) -> bool:
    return bool(Subscription.objects.filter(pk=pk, last_sent_at=since).update(last_sent_at=now))


def _give_back(pk: int, *, before: datetime | None, now: datetime) -> None:
    Subscription.objects.filter(pk=pk, last_sent_at=now).update(last_sent_at=before)
