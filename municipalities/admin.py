from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from municipalities.models import NetworkMembership, Organization, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    pass


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
class OrganizationAdmin(admin.ModelAdmin):
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

    def get_inlines(self, request, obj):
        if obj is not None and obj.kind == Organization.Kind.NETWORK:
            return self.inlines
        return [ChildOrganizationInline]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "network", "since_year"]
    list_filter = ["network"]
    list_select_related = ["member", "network"]
    search_fields = ["member__name", "network__name"]
    autocomplete_fields = ["network", "member"]
