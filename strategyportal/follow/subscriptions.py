"""The writes of following by e-mail: asking (an unconfirmed subscription and a confirmation
e-mail, throttled), confirming, ending it (deleted, so the address is gone) and forgetting
the addresses that never confirmed."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from indicators import notifications
from indicators.models import Subscription
from strategyportal.accounts import over_hourly_limits
from strategyportal.follow import followed as doors
from strategyportal.follow import mails, tokens


def normalized(email: str) -> str:
    # One subscription per address, however its letters were typed.
    return email.strip().lower()


def subscription_request(
    *, request: HttpRequest, email: str, followed: doors.Followed, language: str
) -> None:
    """Store an unconfirmed subscription of `email` to `followed` and mail it a link that
    confirms it, unless that goes over the limits (as a password reset's). An address that
    already follows it gets a link too, which confirms nothing new: the page answers alike."""
    email = normalized(email)
    if over_hourly_limits(
        request,
        email,
        scope="follow",
        per_email=settings.FOLLOW_LIMIT_PER_EMAIL,
        per_ip=settings.FOLLOW_LIMIT_PER_IP,
    ):
        return
    token, token_hash = tokens.new_confirm_token()
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            email=email,
            **{doors.kind_of(followed): followed},
            defaults={"language": language, "token_hash": token_hash},
        )
        if not created:
            # The latest link is the one that works, for as long as a new one would.
            subscription.token_hash = token_hash
            subscription.requested_at = timezone.now()
            if subscription.confirmed_at is None:
                subscription.language = language
            subscription.save(update_fields=["token_hash", "requested_at", "language"])
    notifications.send([mails.confirmation(subscription, token)])


def unconfirmed(token: str) -> Subscription | None:
    """The subscription that `token` confirms, if its link has not expired."""
    expired = timezone.now() - timedelta(days=settings.FOLLOW_CONFIRM_DAYS)
    return (
        Subscription.objects.select_related(
            "organization", "strategy__owner", "goal__strategy__owner"
        )
        .filter(token_hash=tokens.hash_of(token), requested_at__gt=expired)
        .first()
    )


def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """Confirm `subscription` (`unconfirmed`); confirming it again changes nothing."""
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def subscription_end(*, subscription: Subscription) -> None:
    """Delete the subscription; ending it twice is ending it once."""
    Subscription.objects.filter(pk=subscription.pk).delete()


def forget_unconfirmed(*, now: datetime) -> int:
    """Delete the subscriptions not confirmed within FOLLOW_CONFIRM_DAYS of being asked for;
    return how many."""
    expired = now - timedelta(days=settings.FOLLOW_CONFIRM_DAYS)
    deleted, _by_model = Subscription.objects.filter(
        confirmed_at__isnull=True, requested_at__lte=expired
    ).delete()
    return deleted
