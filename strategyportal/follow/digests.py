"""The weekly digest (`manage.py send_follow_digests`): each confirmed subscription is sent
what happened since its last digest (or since it was confirmed), at most once every
DIGEST_INTERVAL, and nothing at all when nothing happened."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from indicators import notifications
from indicators.models import Subscription
from strategyportal.follow import mails
from strategyportal.follow.feeds import entries_for

DIGEST_INTERVAL = timedelta(days=7)


def due(now: datetime):
    """The subscriptions whose last digest is a week old or that never had one."""
    return Subscription.objects.filter(
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - DIGEST_INTERVAL)
    ).select_related("organization", "strategy__owner", "goal__strategy__owner")


def send_digests(*, now: datetime | None = None) -> int:
    """Send the digests due at `now` and return how many were sent. A digest that could not
    be sent is tried again on the next run, with what has happened since."""
    now = now or timezone.now()
    messages = {}
    for subscription in due(now):
        since = subscription.last_sent_at or subscription.confirmed_at
        updates = entries_for(subscription.followed, since=since, until=now)
        if updates:
            messages[subscription.pk] = mails.digest(subscription, updates)
    sent = {id(message) for message in notifications.send(list(messages.values()))}
    done = [pk for pk, message in messages.items() if id(message) in sent]
    Subscription.objects.filter(pk__in=done).update(last_sent_at=now)
    return len(done)
