"""The links in the e-mails, which carry no e-mail address (a link ends up in access logs and
mail scanners' records):

- a confirmation link carries a random token; only its SHA-256 is stored, on the unconfirmed
  subscription (`Subscription.token_hash`), so the database alone cannot make the link. It
  works for FOLLOW_CONFIRM_DAYS after it was asked for.
- an unsubscribe link carries the subscription's key and a keyed hash of its address, signed
  with the secret key (django.core.signing): the hash makes a link of an ended subscription
  useless for a later one that happens to get the same key, and, keyed, it cannot be
  checked against a list of addresses by whoever reads the link."""

import hashlib
import secrets

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from indicators.models import Subscription

UNSUBSCRIBE_SALT = "strategyportal.follow.unsubscribe"


class BadToken(Exception):
    """A link that was not made here, or was changed."""


def new_confirm_token() -> tuple[str, str]:
    """A token for a confirmation link, and the hash to store of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_of(token)


def hash_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(
        [subscription.pk, _address_check(subscription.email)], salt=UNSUBSCRIBE_SALT
    )


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The subscription's key and its address's hash; whether that subscription still
    exists, with that address, is for `is_for` to answer."""
    try:
        pk, check = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken from None
    if not isinstance(pk, int) or not isinstance(check, str):
        raise BadToken
    return pk, check


def is_for(subscription: Subscription, check: str) -> bool:
    return constant_time_compare(_address_check(subscription.email), check)


def _address_check(email: str) -> str:
    return salted_hmac(UNSUBSCRIBE_SALT, email, algorithm="sha256").hexdigest()[:32]
