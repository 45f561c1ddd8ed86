"""The writes of following by e-mail: asking (a confirmation e-mail, throttled), confirming
(the subscription is stored) and ending it (deleted, so the address is gone)."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from indicators import notifications
from indicators.models import Subscription
from strategyportal.accounts import _over_limit, client_ip
from strategyportal.follow import followed as doors
from strategyportal.follow import mails, tokens


def normalized(email: str) -> str:
    # One subscription per address, however its letters were typed.
    return email.strip().lower()


def subscribe_throttled(request: HttpRequest, email: str) -> bool:
    """Whether asking for `email` from this client goes over the hourly limits, as for a
    password reset: both are counted on every request, so neither one address nor one client
    can use the form to fill an inbox."""
    address = hashlib.sha256(email.encode()).hexdigest()
    by_email = _over_limit(f"follow:email:{address}", settings.FOLLOW_LIMIT_PER_EMAIL)
    by_ip = _over_limit(f"follow:ip:{client_ip(request)}", settings.FOLLOW_LIMIT_PER_IP)
    return by_email or by_ip


def subscription_request(
    *, request: HttpRequest, email: str, followed: doors.Followed, language: str
) -> None:
    """Mail `email` a link that confirms following `followed`, unless that goes over the
    limits. Whether the address already follows it is not asked: the answer would be the
    same, and the link confirms an existing subscription without a second one."""
    email = normalized(email)
    if subscribe_throttled(request, email):
        return
    asked = tokens.Request(
        email=email, followed=doors.kind_of(followed), pk=followed.pk, language=language
    )
    notifications.send([mails.confirmation(asked, followed)])


@transaction.atomic
def subscription_confirm(*, asked: tokens.Request, followed: doors.Followed) -> Subscription:
    """Store the subscription `asked` for, or keep the one there is (a link used twice)."""
    subscription, _created = Subscription.objects.get_or_create(
        email=asked.email, **{asked.followed: followed}, defaults={"language": asked.language}
    )
    return subscription


def subscription_end(*, pk: int, email: str) -> None:
    """Delete the subscription, if it is still there: ending it twice is ending it once."""
    Subscription.objects.filter(pk=pk, email=email).delete()
