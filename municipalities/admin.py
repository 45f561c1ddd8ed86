from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from municipalities import access, services
from municipalities.admin_scoping import OrganizationScopedAdmin
from municipalities.forms import InvitationForm
from municipalities.invitations import can_be_invited, invitation_send
from municipalities.models import Membership, NetworkMembership, Organization, User

# Choosing these names another organization without changing it, so every organization is
# offered: the members of a network, the pair in a mentorship.
OPEN_CHOICES = {
    ("municipalities", "networkmembership", "member"),
    ("goals", "mentorship", "mentee"),
    ("goals", "mentorship", "mentor"),
}


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Users and their roles are managed by superusers only."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


def invite_users(modeladmin, request, users) -> None:
    """E-mail each of `users` who has no password yet a link to choose one, and say how it
    went."""
    invitable = [user for user in users if can_be_invited(user)]
    sent = sum(invitation_send(user=user, invited_by=request.user) for user in invitable)
    if sent:
        modeladmin.message_user(request, _("Invitationer sendt: %(count)d.") % {"count": sent})
    if len(users) > sent:
        modeladmin.message_user(
            request,
            _(
                "Ikke sendt: %(count)d. En invitation går kun til aktive brugere med en "
                "e-mailadresse, som ikke har valgt en adgangskode endnu."
            )
            % {"count": len(users) - sent},
            messages.WARNING,
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(SuperuserOnlyAdmin, DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]
    inlines = [MembershipInline]
    actions = ["invite"]

    @admin.action(description=_("Send invitation til at vælge adgangskode"))
    def invite(self, request, queryset):
        invite_users(self, request, list(queryset))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            services.staff_status_sync(user=form.instance)


@admin.register(Membership)
class MembershipAdmin(OrganizationScopedAdmin):
    """Editors give people roles in their organizations and the units below them by e-mail
    address: a person without an account gets one and an invitation to choose a password.
    A membership is not changed: another role is another membership, and one is removed by
    deleting it."""

    list_display = ["user", "email", "organization", "role", "invitation_state", "created_at"]
    list_filter = ["role", ("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "organization"]
    search_fields = [
        "user__username",
        "user__email",
        "user__first_name",
        "user__last_name",
        "organization__name",
    ]
    autocomplete_fields = ["organization"]
    actions = ["invite_again"]

    @admin.display(description=_("e-mailadresse"), ordering="user__email")
    def email(self, membership):
        return membership.user.email

    @admin.display(description=_("adgangskode valgt"), boolean=True)
    def invitation_state(self, membership):
        return membership.user.has_usable_password()

    @admin.action(description=_("Send invitationen igen"))
    def invite_again(self, request, queryset):
        invite_users(self, request, list({membership.user for membership in queryset}))

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = InvitationForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "first_name", "last_name", "organization", "role"]
        return ["user", "organization", "role", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not access.can_edit(request.user, obj.organization_id):
            raise PermissionDenied
        invited = services.member_invite(
            email=form.cleaned_data["email"],
            organization=obj.organization,
            role=obj.role,
            invited_by=request.user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        # The admin goes on with `obj` (its log entry and the next page): it is the membership
        # the service wrote.
        obj.pk, obj.user, obj.created_at = (
            invited.membership.pk,
            invited.membership.user,
            invited.membership.created_at,
        )
        if invited.invitation_sent:
            self.message_user(
                request,
                _("En invitation til at vælge adgangskode er sendt til %(email)s.")
                % {"email": obj.user.email},
            )
        elif not obj.user.has_usable_password():
            self.message_user(
                request,
                _("Invitationen til %(email)s kunne ikke sendes. Prøv igen senere.")
                % {"email": obj.user.email},
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.staff_status_sync(user=obj.user)

    @transaction.atomic  # unlike the delete page, the list's delete action runs in none
    def delete_queryset(self, request, queryset):
        users = {membership.user for membership in queryset}
        super().delete_queryset(request, queryset)
        for user in users:
            services.staff_status_sync(user=user)


class NetworkMemberInline(admin.TabularInline):
    model = NetworkMembership
    fk_name = "network"
    extra = 0
    autocomplete_fields = ["member"]
    verbose_name = _("medlem")
    verbose_name_plural = _("medlemmer")


class ChildOrganizationInline(admin.TabularInline):
    model = Organization
    fk_name = "parent"
    extra = 0
    fields = ["name", "kind", "locality"]
    show_change_link = True
    verbose_name = _("underordnet organisation")
    verbose_name_plural = _("underordnede organisationer")


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedAdmin):
    list_display = ["name", "short_name", "kind", "country", "parent", "locality"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "locality", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "country", "parent"]}),
        (_("Beskrivelse"), {"fields": ["locality", "description", "language", "website"]}),
        (
            _("Åbne data"),
            {"fields": ["data_licence", "embed_origins", "municipality_code"]},
        ),
    ]
    inlines = [ChildOrganizationInline, NetworkMemberInline]
    everyone_may_view = True

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        source = tuple(request.GET.get(key) for key in ("app_label", "model_name", "field_name"))
        if source[2] and source not in OPEN_CHOICES:
            # An autocomplete for an owner-like field offers only organizations one may use.
            queryset = access.editor_scope(request.user).filter(queryset, "")
        return queryset, duplicates

    def get_inlines(self, request, obj):
        if obj is not None and obj.kind == Organization.Kind.NETWORK:
            return self.inlines
        return [ChildOrganizationInline]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(OrganizationScopedAdmin):
    list_display = ["member", "network", "since_year"]
    list_filter = ["network"]
    list_select_related = ["member", "network"]
    search_fields = ["member__name", "network__name"]
    autocomplete_fields = ["member"]
    unscoped_choices = ("member",)
