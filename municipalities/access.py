"""Who may do what: the one place the portal's permission rules are written down.

Every rule is about organizations. A superuser may do everything. An editor of an organization
edits its strategies and everything in them, reviews its values, and covers the schools and
units under it, however deep the tree (a municipality's schools and their departments, an
institution's campuses). A
reporter enters the values of the indicators their organization reports; editors may do so too.

Each app maps its objects to the organization they belong to (`organization_path` on the
model), and the admin, the views and the services ask these functions.
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from municipalities.models import Membership, Organization


@dataclass(frozen=True)
class Scope:
    """The organizations a user may act for in one role."""

    everything: bool
    ids: frozenset[int]

    def __contains__(self, organization_id: int | None) -> bool:
        return self.everything or organization_id in self.ids

    def __bool__(self) -> bool:
        return self.everything or bool(self.ids)

    def filter(self, queryset: QuerySet, path: str) -> QuerySet:
        """`queryset` narrowed to objects whose organization, reached by `path`, is in scope."""
        if self.everything:
            return queryset
        return queryset.filter(**{f"{path}__in" if path else "pk__in": self.ids})


NOTHING = Scope(everything=False, ids=frozenset())
EVERYTHING = Scope(everything=True, ids=frozenset())


def editor_scope(user) -> Scope:
    """The organizations whose content `user` may edit and whose values they may review."""
    return _cached(
        user, "_editor_scope", lambda: _with_units_below(_ids(user, Membership.Role.EDITOR))
    )


def reporter_scope(user) -> Scope:
    """The organizations `user` may enter values for."""

    def compute():
        editing = editor_scope(user)
        return Scope(False, _ids(user, Membership.Role.REPORTER) | editing.ids)

    return _cached(user, "_reporter_scope", compute)


def own_editor_scope(user) -> Scope:
    """The organizations `user` edits by their own memberships, even as a superuser: what a
    person's workspace is about."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    return _with_units_below(_ids(user, Membership.Role.EDITOR))


def can_edit(user, organization_id: int | None) -> bool:
    return organization_id in editor_scope(user)


def can_report(user, organization_id: int | None) -> bool:
    return organization_id in reporter_scope(user)


def _cached(user, attribute: str, compute) -> Scope:
    # None is nobody in particular, as for `visible_to(None)`.
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    if not hasattr(user, attribute):
        setattr(user, attribute, compute())
    return getattr(user, attribute)


def _ids(user, role: str) -> frozenset[int]:
    return frozenset(
        Membership.objects.filter(user=user, role=role).values_list("organization_id", flat=True)
    )


def _with_units_below(ids: frozenset[int]) -> Scope:
    if not ids:
        return NOTHING
    return Scope(False, frozenset(Organization.objects.ids_with_units_below(ids)))


def organization_of(obj) -> int | None:
    """The id of the organization `obj` belongs to, following its model's `organization_path`
    through objects already loaded (a strategy's `owner`, a goal's `strategy__owner`, …)."""
    path = type(obj).organization_path
    if not path:
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = related_as_it_was(obj, hop)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id")


def related_as_it_was(obj, name: str):
    """`obj`'s related object `name`, or when that was deleted, the object as its history
    last recorded it, kept on `obj` so that `str(obj)` works too: the history of a value
    whose indicator was deleted still belongs to the indicator's organization."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        field = obj._meta.get_field(name)
        history = getattr(field.related_model, "history", None)
        record = (
            None
            if history is None
            # A historical record's own key is `history_id`; the object's is kept by its name.
            else history.filter(**{field.target_field.attname: getattr(obj, field.attname)})
            .order_by("-history_date", "-history_id")
            .first()
        )
        if record is None:
            raise
        related = record.instance
        field.set_cached_value(obj, related)
        return related
