"""The e-mails of following, in the subscriber's language (templates/follow/email/, the first
line the subject): the confirmation link, and the digest with its one-click unsubscribe link,
also in the List-Unsubscribe headers (RFC 2369, and RFC 8058's one-click POST)."""

import email.policy

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
# RFC 5322's longest line.
LONG_LINES = email.policy.default.clone(max_line_length=998)


class DigestMessage(EmailMessage):
    """The unsubscribe address in a header is one word longer than the default policy's 78
    characters a line, which it would fold into RFC 2047 encoded words that no mail client
    reads as an address; RFC 5322 allows lines of 998."""

    def message(self, *, policy=LONG_LINES):
        return super().message(policy=policy)


def confirmation(subscription: Subscription, token: str) -> EmailMessage:
    """The link that confirms `subscription`, with `token` (of which it stores the hash)."""
    return compose(
        subscription,
        "follow/email/confirm.txt",
        {
            "name": doors.name_of(subscription.followed),
            "token": token,
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
    composed = compose(
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
    return DigestMessage(
        subject=composed.subject,
        body=composed.body,
        to=composed.to,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
