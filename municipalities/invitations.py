"""Invitations: a new user gets an e-mail with a link where they choose their first password.

The link carries a token from `invitation_tokens`, Django's password-reset token with its own
salt and lifetime (INVITATION_TIMEOUT_DAYS). The token hashes the user's password and last
login, so it works once: choosing the password (and the login that follows) changes both.
"""

import logging

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from municipalities.models import User

logger = logging.getLogger(__name__)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    # Its own salt: a password-reset token is no invitation, nor the other way round.
    key_salt = "municipalities.invitations.InvitationTokenGenerator"

    def check_token(self, user, token):
        # Django's check reads PASSWORD_RESET_TIMEOUT; an invitation has a lifetime of its own.
        if user is None or not token:
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        age = self._num_seconds(self._now()) - timestamp
        if age > settings.INVITATION_TIMEOUT_DAYS * 24 * 60 * 60:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()


def can_be_invited(user: User) -> bool:
    """An active user with an address who has not chosen a password yet."""
    return user.is_active and bool(user.email) and not user.has_usable_password()


def invitation_link(user: User) -> str:
    """The absolute one-time link, in the user's language."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        path = reverse(
            "invitation",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": invitation_tokens.make_token(user),
            },
        )
    return settings.PORTAL_URL.rstrip("/") + path


def invitation_send(*, user: User, invited_by: User | None = None) -> bool:
    """E-mail `user` a link to choose their first password. Returns whether it was sent; a
    mail server that fails is logged, never raised."""
    if not can_be_invited(user):
        return False
    context = {
        "user": user,
        "link": invitation_link(user),
        "invited_by": invited_by,
        "days": settings.INVITATION_TIMEOUT_DAYS,
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = render_to_string("registration/invitation_email.txt", context)
    subject, _newline, body = text.strip().partition("\n")
    message = mail.EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=[user.email])
    try:
        return bool(message.send())
    except Exception:
        logger.exception("Could not send the invitation to %s", user.email)
        return False
