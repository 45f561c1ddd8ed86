from django.core.management.base import BaseCommand, CommandError

from municipalities.invitations import can_be_invited, invitation_send
from municipalities.models import Membership, Organization, User
from municipalities.services import membership_grant


class Command(BaseCommand):
    help = (
        "Give a user a role in an organization, creating the user if needed and e-mailing "
        "a new user a link to choose a password: "
        "grant_role alice herning-kommune editor --email alice@herning.dk"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("organization", help="the organization's slug, e.g. herning-kommune")
        parser.add_argument("role", choices=Membership.Role.values)
        parser.add_argument("--email", default="", help="for a new user; the invitation goes there")
        parser.add_argument(
            "--no-invite",
            action="store_true",
            help="send no invitation (set a password with changepassword instead)",
        )

    def handle(self, *args, username, organization, role, email, no_invite, **options):
        try:
            organization = Organization.objects.get(slug=organization)
        except Organization.DoesNotExist:
            raise CommandError(f"No organization with the slug {organization!r}.") from None
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if created:
            user.set_unusable_password()
            user.save()
        membership_grant(user=user, organization=organization, role=role)
        self.stdout.write(
            f"{user.username} is now {Membership.Role(role).label.lower()} in {organization.name}."
        )
        if user.has_usable_password():
            return
        if not no_invite and can_be_invited(user):
            if invitation_send(user=user):
                self.stdout.write(f"An invitation to choose a password went to {user.email}.")
                return
            self.stderr.write(f"The invitation to {user.email} could not be sent (see the log).")
        self.stdout.write(
            f"{user.username} has no password yet: invite them again with this command "
            "(they need an e-mail address), or set one with: "
            f"manage.py changepassword {user.username}"
        )
