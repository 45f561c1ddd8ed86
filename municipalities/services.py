"""Writes about who may do what."""

from dataclasses import dataclass

from django.db import transaction

from municipalities.invitations import can_be_invited, invitation_send
from municipalities.models import Membership, Organization, User


@transaction.atomic
def membership_grant(*, user: User, organization: Organization, role: str) -> Membership:
    """Give `user` a role in `organization`; an editor also gets into the admin."""
    membership, _created = Membership.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    staff_status_sync(user=user)
    return membership


def staff_status_sync(*, user: User) -> None:
    """Editors work in the admin, so they are staff; others are not, unless superusers."""
    is_editor = user.memberships.filter(role=Membership.Role.EDITOR).exists()
    should_be_staff = user.is_superuser or is_editor
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])


@dataclass(frozen=True)
class Invited:
    membership: Membership
    invitation_sent: bool


def member_invite(
    *,
    email: str,
    organization: Organization,
    role: str,
    invited_by: User | None,
    first_name: str = "",
    last_name: str = "",
) -> Invited:
    """Give the person with `email` a role in `organization`, creating their account if there
    is none (its username is the address), and e-mail them a link to choose a password if they
    have none yet. The caller has checked that `email` names at most one active account."""
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(
                username=email.lower(),
                email=email,
                first_name=first_name,
                last_name=last_name,
                # E-mails go out in the organization's language: Swedish for a Swedish centre.
                language=organization.language,
            )
            user.set_unusable_password()
            user.save()
        membership = membership_grant(user=user, organization=organization, role=role)
    # Sent after the writes, so that a write that fails sends no link.
    sent = can_be_invited(user) and invitation_send(user=user, invited_by=invited_by)
    return Invited(membership, sent)
