from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from municipalities import access, services
from municipalities.admin_scoping import OrganizationScopedAdmin
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
        invitable = [user for user in queryset if can_be_invited(user)]
        sent = sum(invitation_send(user=user, invited_by=request.user) for user in invitable)
        if sent:
            self.message_user(request, _("Invitationer sendt: %(count)d.") % {"count": sent})
        if len(queryset) > sent:
            self.message_user(
                request,
                _(
                    "Ikke sendt: %(count)d. En invitation går kun til aktive brugere med en "
                    "e-mailadresse, som ikke har valgt en adgangskode endnu."
                )
                % {"count": len(queryset) - sent},
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            services.staff_status_sync(user=form.instance)


@admin.register(Membership)
class MembershipAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", ("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.staff_status_sync(user=obj.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.staff_status_sync(user=obj.user)


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
