from django.core.management.base import BaseCommand, CommandError

from municipalities.models import Membership, Organization, User
from municipalities.services import membership_grant


class Command(BaseCommand):
    help = (
        "Give a user a role in an organization, creating the user if needed: "
        "grant_role alice herning-kommune editor --email alice@herning.dk"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("organization", help="the organization's slug, e.g. herning-kommune")
        parser.add_argument("role", choices=Membership.Role.values)
        parser.add_argument("--email", default="", help="for a new user; used for password reset")

    def handle(self, *args, username, organization, role, email, **options):
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
        if created:
            self.stdout.write(
                "The new user has no password yet: they choose one through "
                "'Har du glemt din adgangskode?' on the login page (their e-mail is needed), "
                f"or you set one with: manage.py changepassword {user.username}"
            )
