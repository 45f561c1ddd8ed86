"""The admin for editors: each editor sees and changes only their organizations' objects.

`OrganizationScopedAdmin` reads the rules from `municipalities.access` and each model's
`organization_path`. The list shows only what the editor may change; opening another
organization's object by its address is refused with 403, not hidden behind a redirect; and
foreign-key choices are limited the same way, so nothing can be created for another
organization.
"""

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError

from municipalities import access


class OrganizationScopedAdmin(admin.ModelAdmin):
    # Related models whose choices stay open: picking another organization as a mentee is
    # naming it, not changing it.
    unscoped_choices: tuple[str, ...] = ()
    # Public things (organizations, themes) may be looked up by every editor; changing them
    # stays scoped.
    everyone_may_view = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.everyone_may_view:
            return queryset
        return access.editor_scope(request.user).filter(queryset, self.model.organization_path)

    def get_object(self, request, object_id, from_field=None):
        # Look beyond the editor's own objects so that another organization's object exists
        # and is refused (403) by the permission checks, rather than reported missing.
        queryset = self.model._default_manager.all()
        field = (
            self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        )
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def has_module_permission(self, request):
        return bool(access.editor_scope(request.user))

    def has_view_permission(self, request, obj=None):
        if self.everyone_may_view:
            return bool(access.editor_scope(request.user))
        return self._allowed(request, obj)

    def has_add_permission(self, request, obj=None):
        return bool(access.editor_scope(request.user))

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def _allowed(self, request, obj) -> bool:
        if obj is None:
            return bool(access.editor_scope(request.user))
        return access.can_edit(request.user, access.organization_of(obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self._choices(db_field, request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A related object is deleted on its own page, where its own rules apply, never from
        # a cross beside a choice in another form: beside a shared metric it offered an
        # editor a deletion that could only be refused.
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget.can_delete_related = False
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self._choices(db_field, request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _choices(self, db_field, request):
        related = db_field.related_model
        queryset = related._default_manager.all()
        path = getattr(related, "organization_path", None)
        if path is None or db_field.name in self.unscoped_choices:
            return queryset
        return access.editor_scope(request.user).filter(queryset, path)

    def save_model(self, request, obj, form, change):
        if not access.can_edit(request.user, access.organization_of(obj)):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class SharedAdmin(admin.ModelAdmin):
    """Shared vocabulary (themes, common measurements): every editor may look it up and use
    it; superusers keep it."""

    def has_module_permission(self, request):
        return bool(access.editor_scope(request.user))

    def has_view_permission(self, request, obj=None):
        return bool(access.editor_scope(request.user))

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    has_delete_permission = has_change_permission


class OrganizationScopedInline:
    """Inlines follow the same rules as the page they sit on."""

    def has_view_permission(self, request, obj=None):
        return obj is None or access.can_edit(request.user, access.organization_of(obj))

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        path = getattr(related, "organization_path", None)
        if path is not None and "queryset" not in kwargs:
            kwargs["queryset"] = access.editor_scope(request.user).filter(
                related._default_manager.all(), path
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
