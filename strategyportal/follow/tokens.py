"""The links in the e-mails, signed with the secret key (django.core.signing), so that nothing
but the subscription itself is stored: a confirmation link carries the whole request (address,
what it follows, the language) and expires after FOLLOW_CONFIRM_DAYS; an unsubscribe link
names a subscription and its address and works as long as the subscription exists."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

from indicators.models import FOLLOWED, Subscription

CONFIRM_SALT = "strategyportal.follow.confirm"
UNSUBSCRIBE_SALT = "strategyportal.follow.unsubscribe"


class BadToken(Exception):
    """A link that was not made here, was changed, or has expired."""


@dataclass(frozen=True)
class Request:
    """A subscription asked for and not yet confirmed."""

    email: str
    followed: str  # one of FOLLOWED
    pk: int
    language: str


def confirm_token(request: Request) -> str:
    return signing.dumps(
        [request.email, request.followed, request.pk, request.language], salt=CONFIRM_SALT
    )


def read_confirm_token(token: str) -> Request:
    try:
        email, followed, pk, language = signing.loads(
            token, salt=CONFIRM_SALT, max_age=timedelta(days=settings.FOLLOW_CONFIRM_DAYS)
        )
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken from None
    if followed not in FOLLOWED:
        raise BadToken
    return Request(email=email, followed=followed, pk=pk, language=language)


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps([subscription.pk, subscription.email], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The subscription's key and address; whether it still exists is the caller's to ask."""
    try:
        pk, email = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken from None
    return pk, email
