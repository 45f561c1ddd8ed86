"""Writes about who may do what."""

from django.db import transaction

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
