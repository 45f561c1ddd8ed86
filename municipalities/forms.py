from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from municipalities.models import Membership, User


class InvitationForm(forms.ModelForm):
    """A role for a person named by their e-mail address (see `services.member_invite`)."""

    email = forms.EmailField(
        label=_("e-mailadresse"),
        max_length=150,  # a new account's username is the address
        help_text=_(
            "Har personen ingen konto, oprettes en, og de får en e-mail med et link til at "
            "vælge deres adgangskode."
        ),
    )
    first_name = forms.CharField(label=_("fornavn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("efternavn"), max_length=150, required=False)

    class Meta:
        model = Membership
        fields = ["organization", "role"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        accounts = list(User.objects.filter(email__iexact=email)[:2])
        if len(accounts) > 1:
            raise ValidationError(
                _("Flere brugere har denne adresse. Bed en administrator om at give rollen.")
            )
        if accounts and not accounts[0].is_active:
            raise ValidationError(
                _("Brugeren med denne adresse er lukket. Bed en administrator om hjælp.")
            )
        if not accounts and User.objects.filter(username__iexact=email).exists():
            raise ValidationError(
                _("Adressen er brugernavn for en anden konto. Bed en administrator om hjælp.")
            )
        return email

    def clean(self):
        cleaned = super().clean()
        email, organization, role = (cleaned.get(key) for key in ("email", "organization", "role"))
        if email and organization and role:
            had_role = Membership.objects.filter(
                user__email__iexact=email, organization=organization, role=role
            ).exists()
            if had_role:
                raise ValidationError(
                    _("Personen har allerede denne rolle i %(organization)s.")
                    % {"organization": organization}
                )
        return cleaned
