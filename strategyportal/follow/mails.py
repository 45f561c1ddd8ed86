"""The e-mails of following, in the subscriber's language (templates/follow/email/, the first
line the subject): the confirmation link, and the digest with its one-click unsubscribe link,
also in the List-Unsubscribe headers (RFC 2369, and RFC 8058's one-click POST)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from indicators.models import Subscription
from indicators.notifications import compose
from strategyportal.follow import followed as doors
from strategyportal.follow import tokens
from strategyportal.follow.entries import entry_of

# A digest lists this many events and counts the rest.
LISTED = 20


@dataclass(frozen=True)
class Recipient:
    """Whom `compose` writes to, when it is no user."""

    email: str
    language: str


def confirmation(asked: tokens.Request, followed: doors.Followed) -> EmailMessage:
    return compose(
        Recipient(email=asked.email, language=asked.language),
        "follow/email/confirm.txt",
        {
            "name": doors.name_of(followed),
            "token": tokens.confirm_token(asked),
            "days": settings.FOLLOW_CONFIRM_DAYS,
        },
    )


def digest(subscription: Subscription, updates: list) -> EmailMessage:
    """`updates` (newest first, read with `for_feed()`) for `subscription`."""
    followed = subscription.followed
    token = tokens.unsubscribe_token(subscription)
    with translation.override(subscription.language):
        entries = [entry_of(update) for update in updates[:LISTED]]
        unsubscribe = settings.PORTAL_URL.rstrip("/") + reverse(
            "portal:follow_unsubscribe", args=[token]
        )
    message = compose(
        subscription,
        "follow/email/digest.txt",
        {
            "name": doors.name_of(followed),
            "followed": followed,
            "entries": entries,
            "more": len(updates) - len(entries),
            "unsubscribe": unsubscribe,
        },
    )
    message.extra_headers.update(
        {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    )
    return message
