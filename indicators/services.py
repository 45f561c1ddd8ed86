"""Writes of yearly values: reporting, approving and rejecting. Each checks who may do it
(`municipalities.access`), validates with the same rules as the model, and runs in a
transaction, so a value is never half-written. And the one write of the stored assessments
those values feed, `refresh_assessments`."""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from goals.models import Action, Archivable, FocusArea, Goal, Strategy
from indicators import notifications, updates
from indicators.models import GoalTarget, Indicator, IndicatorValue, Milestone, TargetAssessment
from indicators.periods import FIRST_YEAR
from indicators.wording import format_quantity
from municipalities import access
from municipalities.content_version import content_changed
from municipalities.models import Organization, User


class StaleValue(ValidationError):
    """Someone else changed the value after the form showing it was opened."""


SELF_APPROVED_REASON = "Godkendt af superbruger, der selv indtastede tallet"


@dataclass(frozen=True)
class ValueEntry:
    indicator: Indicator
    period: int
    value: Decimal
    weight: Decimal | None = None
    note: str = ""
    source: str = ""
    source_url: str = ""
    revision: int | None = None  # the value's revision when the form was opened; None if new

    @property
    def key(self) -> str:
        return entry_key(self.indicator.pk, self.period)


def entry_key(indicator_id: int, period: int) -> str:
    """How a refused entry's messages are keyed: one indicator in one period."""
    return f"{indicator_id}-{period}"


def latest_reportable_period() -> int:
    """No value may be reported for a period that has not begun."""
    return timezone.localdate().year


def earliest_baseline(indicator: Indicator) -> int | None:
    """The first baseline period that any goal sets on `indicator`, or None. Reads
    `indicator.targets`, so prefetch it when asking for many indicators."""
    periods = [
        target.baseline_period
        for target in indicator.targets.all()
        if target.baseline_period is not None
    ]
    return min(periods, default=None)


def period_error(indicator: Indicator, period: int) -> str | None:
    """Why `period` cannot be reported for `indicator`, or None."""
    if period < FIRST_YEAR:
        return _("Perioden %(period)s ligger før %(first)s.") % {
            "period": period,
            "first": FIRST_YEAR,
        }
    if period > latest_reportable_period():
        return _("Perioden %(period)s ligger i fremtiden.") % {
            "period": indicator.period_label(period)
        }
    # The series begins where the first goal on it measures from: a value before every
    # baseline would count towards no target.
    baseline = earliest_baseline(indicator)
    if baseline is not None and period < baseline:
        return _("Perioden %(period)s ligger før udgangspunktet %(baseline)s.") % {
            "period": indicator.period_label(period),
            "baseline": indicator.period_label(baseline),
        }
    return None


def value_report(
    *,
    organization: Organization,
    entries: Sequence[ValueEntry],
    user: User,
    submit: bool,
) -> list[IndicatorValue]:
    """Save `organization`'s values, of one period or several, as drafts or submitted for
    approval.

    All or nothing: if any entry is refused, none is saved, and the ValidationError carries
    the messages for each entry, keyed by `entry.key`.
    """
    if not access.can_report(user, organization.pk):
        raise PermissionDenied
    # An archived indicator takes no new values, wherever they come from.
    reported = set(organization.reported_indicators.active().values_list("pk", flat=True))
    # One query for the baselines of all entries, unless the caller prefetched them.
    prefetch_related_objects([entry.indicator for entry in entries], "targets", "metric")
    saved, errors = [], {}
    with transaction.atomic():
        for entry in entries:
            if entry.indicator.pk not in reported:
                raise PermissionDenied
            try:
                saved.append(_save(entry, organization, user, submit))
            except ValidationError as error:
                errors[entry.key] = error.messages
        if errors:
            raise ValidationError(errors)
        notifications.values_submitted(values=saved, by=user)
    return saved


def import_key(organization_id: int, indicator_id: int, period: int) -> str:
    """How a refused row of an import is keyed: one organization, indicator and period."""
    return f"{organization_id}-{indicator_id}-{period}"


# The fields an import writes on a value it changes; the rest stay as they are.
IMPORTED_FIELDS = (
    "value",
    "weight",
    "note",
    "source",
    "source_url",
    "status",
    "entered_by",
    "entered_at",
    "reviewed_by",
    "reviewed_at",
    "rejection_reason",
    "revision",
)


def values_import(
    *,
    entries: Sequence[tuple[Organization, ValueEntry]],
    user: User,
    reason: str = "",
) -> list[IndicatorValue]:
    """Save many organizations' values at once, submitted for approval: a spreadsheet
    upload. The rules are `value_report`'s (who may report, the period, a value changed
    since it was read, an approved value, the metric's rules), written for thousands of
    rows: a fixed number of queries to read and lock, and bulk writes with their history.

    All or nothing: if any entry is refused, none is saved, and the ValidationError carries
    each refused entry's messages keyed by `import_key`.
    """
    organizations = {organization.pk for organization, _entry in entries}
    if not all(access.can_report(user, pk) for pk in organizations):
        raise PermissionDenied
    indicators = list({entry.indicator.pk: entry.indicator for _org, entry in entries}.values())
    reported = set(
        Indicator.reporting_organizations.through.objects.filter(
            indicator__in=indicators, organization__in=organizations, indicator__archived_at=None
        ).values_list("indicator_id", "organization_id")
    )
    prefetch_related_objects(indicators, "targets", "metric")
    created, changed, errors = [], [], {}
    uncounted = set()  # series that lose an approved value
    with transaction.atomic():
        stored = {
            (value.indicator_id, value.organization_id, value.period): value
            for value in IndicatorValue.objects.select_for_update(of=("self",))
            .select_related("entered_by")
            .filter(
                indicator__in=indicators,
                organization__in=organizations,
                period__in={entry.period for _org, entry in entries},
            )
        }
        for organization, entry in entries:
            if (entry.indicator.pk, organization.pk) not in reported:
                raise PermissionDenied
            existing = stored.get((entry.indicator.pk, organization.pk, entry.period))
            counted = existing is not None and existing.status == IndicatorValue.Status.APPROVED
            try:
                _check_period(entry)
                value = _entered(entry, organization, existing, user)
                _mark_entered(value, user=user, status=IndicatorValue.Status.SUBMITTED)
                # The per-row rules; the database's constraints hold the rest, without a
                # query per row that full_clean() would make.
                value.clean_fields(exclude=["indicator", "organization", "entered_by"])
                value.clean()
            except ValidationError as error:
                errors[import_key(organization.pk, entry.indicator.pk, entry.period)] = (
                    error.messages
                )
                continue
            (changed if existing else created).append(value)
            if counted:
                uncounted.add(entry.indicator.pk)
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                bulk_create_with_history(
                    created,
                    IndicatorValue,
                    batch_size=500,
                    default_user=user,
                    default_change_reason=reason,
                )
                bulk_update_with_history(
                    changed,
                    IndicatorValue,
                    IMPORTED_FIELDS,
                    batch_size=500,
                    default_user=user,
                    default_change_reason=reason,
                )
                # Bulk writes send no signals; the cached pages must not outlive these.
                content_changed()
        except IntegrityError:
            # Someone saved a first value of one of the rows since it was read.
            raise StaleValue(
                _("Et af tallene blev gemt af en anden, mens du gemte. Prøv igen."),
                code="stale",
            ) from None
        if uncounted:
            # Sent for approval again, they count no more; bulk writes send no signals.
            refresh_assessments(GoalTarget.objects.filter(indicator__in=uncounted))
        notifications.values_submitted(values=created + changed, by=user)
    return created + changed


def _save(
    entry: ValueEntry, organization: Organization, user: User, submit: bool
) -> IndicatorValue:
    _check_period(entry)
    existing = _locked(indicator=entry.indicator, period=entry.period, organization=organization)
    value = _entered(entry, organization, existing, user)
    status = IndicatorValue.Status.SUBMITTED if submit else IndicatorValue.Status.DRAFT
    return _save_as_entered(value, user=user, status=status)


def _check_period(entry: ValueEntry) -> None:
    problem = period_error(entry.indicator, entry.period)
    if problem:
        raise ValidationError(problem)


def _entered(
    entry: ValueEntry,
    organization: Organization,
    existing: IndicatorValue | None,
    user: User,
) -> IndicatorValue:
    """`existing`, or a new value, with what `entry` says; refused if `existing` changed
    since the entry's form was opened, or is approved and `user` may not change it."""
    if existing is None:
        value = IndicatorValue(
            indicator=entry.indicator, period=entry.period, organization=organization
        )
    else:
        if existing.revision != entry.revision:
            raise StaleValue(_stale_message(existing), code="stale")
        if existing.status == IndicatorValue.Status.APPROVED and not access.can_edit(
            user, access.organization_of(entry.indicator)
        ):
            raise ValidationError(
                _("Tallet er godkendt og kan ikke ændres her. Kontakt den, der har godkendt det.")
            )
        value = existing
        value.revision += 1
    value.value = entry.value
    value.weight = entry.weight
    value.note = entry.note
    # The address belongs to the source: kept while the source is (the reporting page has
    # no field for it), gone with it when a new source comes without one.
    if entry.source_url or entry.source != value.source:
        value.source_url = entry.source_url
    value.source = entry.source
    return value


def _locked(*, indicator: Indicator, period: int, organization: Organization):
    """The stored value of the period, locked until the transaction ends, or None."""
    return (
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("entered_by", "indicator__metric")
        .filter(indicator=indicator, period=period, organization=organization)
        .first()
    )


def _save_as_entered(value: IndicatorValue, *, user: User, status: str) -> IndicatorValue:
    _mark_entered(value, user=user, status=status)
    _clean_and_save(value)
    return value


def _mark_entered(value: IndicatorValue, *, user: User, status: str) -> None:
    """A number entered by `user` is theirs, and any earlier review of it no longer holds."""
    value.status = status
    value.entered_by = user
    value.entered_at = timezone.now()
    value.reviewed_by = value.reviewed_at = None
    value.rejection_reason = ""


def _clean_and_save(value: IndicatorValue) -> None:
    """Validate and save `value`. Whether the period already has a value was decided by the
    locked lookup; a first value saved by someone else since then is caught by the unique
    constraint and refused as stale, with what is now stored."""
    # Without the unique check: it would race the same way, and give a vaguer message.
    value.full_clean(exclude=["indicator", "organization"])
    is_new = value.pk is None
    try:
        # A savepoint, so that the refused insert leaves the caller's transaction usable.
        with transaction.atomic():
            value.save()
    except IntegrityError:
        current = _locked(
            indicator=value.indicator, period=value.period, organization=value.organization
        )
        if current is None or current.pk == value.pk:
            raise
        if is_new:
            value.pk = None
        raise StaleValue(_stale_message(current), code="stale") from None


def _stale_message(current: IndicatorValue) -> str:
    return _(
        "Tallet blev ændret af %(user)s den %(when)s, efter du åbnede siden. Det står nu til "
        "%(value)s. Se det nye tal, og gem igen, hvis dit tal stadig skal bruges."
    ) % {
        "user": current.entered_by or _("en anden"),
        "when": date_format(timezone.localtime(current.entered_at), "DATETIME_FORMAT"),
        "value": format_quantity(current.value, current.indicator.unit, current.indicator.decimals),
    }


@transaction.atomic
def value_approve(*, value: IndicatorValue, user: User) -> IndicatorValue:
    """Approve a submitted value: from now on it is public and counts in the progress."""
    value = _lock_for_review(value, user)
    if value.entered_by_id == user.pk:
        # Four eyes: a number is public only when someone other than its reporter has read
        # it. A superuser may, for the rare organization with one editor, and the history
        # says so.
        if not user.is_superuser:
            raise ValidationError(
                _(
                    "Du kan ikke godkende et tal, du selv har indtastet. Bed en anden redaktør "
                    "om at godkende det."
                ),
                code="own_value",
            )
        value._change_reason = SELF_APPROVED_REASON
    value.status = IndicatorValue.Status.APPROVED
    value.rejection_reason = ""
    value = _reviewed(value, user)
    updates.value_approved(value)
    return value


@transaction.atomic
def value_reject(*, value: IndicatorValue, user: User, reason: str) -> IndicatorValue:
    """Send a submitted value back to its reporter with the reason."""
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Skriv en begrundelse, så indberetteren ved, hvad der skal rettes.")}
        )
    value = _lock_for_review(value, user)
    value.status = IndicatorValue.Status.REJECTED
    value.rejection_reason = reason.strip()
    return _reviewed(value, user)


def _lock_for_review(value: IndicatorValue, user: User) -> IndicatorValue:
    value = (
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("indicator__organization", "indicator__metric")
        .get(pk=value.pk)
    )
    if not access.can_edit(user, access.organization_of(value)):
        raise PermissionDenied
    if value.status != IndicatorValue.Status.SUBMITTED:
        raise ValidationError(_("Kun indsendte tal kan godkendes eller afvises."))
    return value


def _reviewed(value: IndicatorValue, user: User) -> IndicatorValue:
    value.reviewed_by = user
    value.reviewed_at = timezone.now()
    value.revision += 1
    value.full_clean()
    value.save()
    notifications.value_reviewed(value=value)
    return value


# What an edit in the admin may change; the rest is the reporting and review workflow's.
EDITABLE_FIELDS = (
    "period",
    "organization",
    "value",
    "weight",
    "note",
    "source",
    "source_url",
    "is_illustrative",
)


def value_check_revision(*, value: IndicatorValue, revision: int | None) -> IndicatorValue:
    """The stored `value`, locked until the transaction ends; StaleValue if it has changed
    since it was shown at `revision`."""
    stored = (
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("entered_by")
        .get(pk=value.pk)
    )
    if stored.revision != revision:
        raise StaleValue(_stale_message(stored), code="stale")
    return stored


@transaction.atomic
def value_edit(*, value: IndicatorValue, user: User, revision: int | None) -> IndicatorValue:
    """Save a value edited outside the reporting page (the admin) by the same rules: nothing
    changed since it was opened at `revision`, the revision counts up, and a changed number
    is entered by `user` and waits for someone else's approval, however it was reviewed
    before."""
    if not access.can_edit(user, access.organization_of(value)):
        raise PermissionDenied
    if value.pk is not None:
        stored = (
            IndicatorValue.objects.select_for_update(of=("self",))
            .select_related("entered_by")
            .get(pk=value.pk)
        )
        # Saving a row as it was shown overwrites nothing, however old the page is.
        if all(getattr(stored, name) == getattr(value, name) for name in EDITABLE_FIELDS):
            return stored
        if stored.revision != revision:
            raise StaleValue(_stale_message(stored), code="stale")
        for name in EDITABLE_FIELDS:
            setattr(stored, name, getattr(value, name))
        value = stored
        value.revision += 1
    value = _save_as_entered(value, user=user, status=IndicatorValue.Status.SUBMITTED)
    notifications.values_submitted(values=[value], by=user)
    return value


# How many indicators' targets are assessed together: their values are read into memory at
# once, a few dozen each (more where schools report).
ASSESSMENT_BATCH = 1000
# Everything but the target the row belongs to.
ASSESSMENT_FIELDS = [
    field.name for field in TargetAssessment._meta.concrete_fields if not field.primary_key
]


def refresh_assessments(targets: QuerySet[GoalTarget], *, record_updates: bool = True) -> int:
    """Assess every goal target in `targets` by the progress rules and store the result
    (`TargetAssessment`); return how many were stored. With `record_updates=False` a changed
    verdict is not recorded for followers (`indicators.updates`): for recomputing in bulk,
    after a release of the rules or a bulk load, which is no news about any goal.

    Runs in the caller's transaction, so the stored assessment changes together with the
    value, target, milestone or strategy that changed it, or not at all. Without one, each
    batch of indicators is a transaction of its own (the command that refreshes all).
    """
    # Read once; each batch then reads its targets by key, not by the caller's filter again.
    targets_of: dict[int, list[int]] = {}
    for indicator_id, target_id in targets.values_list("indicator_id", "pk"):
        targets_of.setdefault(indicator_id, []).append(target_id)
    stored = 0
    for indicator_ids in itertools.batched(sorted(targets_of), ASSESSMENT_BATCH):
        with transaction.atomic(savepoint=False):
            target_ids = [pk for indicator_id in indicator_ids for pk in targets_of[indicator_id]]
            stored += _store_assessments(indicator_ids, target_ids, record_updates)
            # Written in bulk, without signals; bumped in the batch's transaction, so the
            # cached pages change when the rows are committed, not before.
            content_changed()
    return stored


def _store_assessments(
    indicator_ids: Sequence[int], target_ids: Sequence[int], record_updates: bool
) -> int:
    # The indicators are locked until the transaction ends, in one order so that two writers
    # cannot wait on each other: two approvals of one series at once would otherwise each
    # assess without the other's value, and the last to commit would store a stale verdict.
    # Once the lock is had, what the other committed is read (PostgreSQL reads each statement
    # afresh). NO KEY: adding a value to the series need not wait for it.
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk__in=indicator_ids)
        .order_by("pk")
        .with_series_only()
    }
    assessed_at = timezone.now()
    rows = []
    targets = GoalTarget.objects.filter(pk__in=target_ids)
    # Read under the indicators' lock, so the verdict each row replaces is the committed one.
    before = dict(
        TargetAssessment.objects.filter(target__in=target_ids).values_list("target_id", "status")
    )
    for target in targets.select_related("goal__strategy__successor").prefetch_related(
        "milestones"
    ):
        # Each series is combined once, however many targets are set on it.
        target.indicator = indicators[target.indicator_id]
        rows.append(TargetAssessment.of(target, at=assessed_at))
    TargetAssessment.objects.bulk_create(
        rows,
        batch_size=ASSESSMENT_BATCH,
        update_conflicts=True,
        unique_fields=["target"],
        update_fields=ASSESSMENT_FIELDS,
    )
    if record_updates:
        updates.verdicts_changed(rows, before)
    return len(rows)


# Archiving and restoring: what keeps approved values public history.

# How a value deleted with its indicator, a milestone with its target, a target or action
# with its goal, a focus area, goal or action with its strategy is marked in its history
# (`deleted_with`), so that restoring the indicator, target, goal or strategy brings back
# those and not one deleted on purpose before.
DELETED_WITH = "Slettet med det, det hørte under"
RESTORED_REASON = "Gendannet fra historikken"

# The path from an approved value to each kind of object it makes public history of.
VALUE_PATHS = {
    Indicator: "indicator",
    GoalTarget: "indicator__targets",
    Goal: "indicator__targets__goal",
    Strategy: "indicator__targets__goal__strategy",
}


def approved_values_under(objects: QuerySet) -> QuerySet[IndicatorValue]:
    """The approved values that hang under any of `objects` (indicators, goal targets, goals
    or strategies): while there are any, only a superuser may delete them."""
    return IndicatorValue.objects.approved().filter(
        **{f"{VALUE_PATHS[objects.model]}__in": objects.values("pk")}
    )


def _check_archiver(obj: Archivable, user: User) -> None:
    if not access.can_edit(user, access.organization_of(obj)):
        raise PermissionDenied


@transaction.atomic
def archive(*, obj: Archivable, user: User) -> Archivable:
    """Archive an indicator, goal target, goal or strategy: it stays public as history and
    takes no new values. Saved as a change, so its history tells who archived it."""
    _check_archiver(obj, user)
    if not obj.is_archived:
        obj.archived_at, obj.archived_by = timezone.now(), user
        obj.save(update_fields=["archived_at", "archived_by"])
    return obj


@transaction.atomic
def unarchive(*, obj: Archivable, user: User) -> Archivable:
    """Take an object out of the archive: it is reported on again."""
    _check_archiver(obj, user)
    if obj.is_archived:
        obj.archived_at, obj.archived_by = None, None
        obj.save(update_fields=["archived_at", "archived_by"])
    return obj


def _latest_record(history: QuerySet, pk: int):
    return history.filter(id=pk).order_by("-history_date", "-history_id").first()


def _gone(obj) -> list:
    """The keys of `obj` to rows that are no longer there."""
    return [
        field
        for field in obj._meta.concrete_fields
        if field.is_relation
        and getattr(obj, field.attname) is not None
        and not field.related_model._default_manager.filter(pk=getattr(obj, field.attname)).exists()
    ]


def _name(obj) -> str:
    # A strategy's name says its owner, who may be what is gone.
    try:
        return str(obj)
    except ObjectDoesNotExist:
        return getattr(obj, "title", None) or f"{capfirst(obj._meta.verbose_name)} {obj.pk}"


def _as_restored(record, user: User):
    """The object of a historical record, ready to be saved again under its own key. A user
    it names who no longer exists is left out (those keys are SET_NULL); anything else it
    hangs on must still be there."""
    obj = record.instance
    for field in _gone(obj):
        if field.remote_field.on_delete is not models.SET_NULL:
            raise ValidationError(
                _("%(object)s kan ikke gendannes: %(field)s findes ikke længere.")
                % {"object": _name(obj), "field": field.verbose_name}
            )
        setattr(obj, field.attname, None)
    obj._change_reason = RESTORED_REASON
    obj._history_user = user
    return obj


def _save_restored(obj) -> None:
    """Save `obj` as it was. Only the database's rules are checked (an address taken since
    by another object): the rules for new values may have changed since it was stored, and
    history is brought back as it was, not judged again."""
    try:
        obj.validate_constraints()
    except ValidationError as error:
        raise ValidationError(
            _("%(object)s kan ikke gendannes: %(reason)s")
            % {"object": _name(obj), "reason": " ".join(error.messages)}
        ) from error
    obj.save(force_insert=True)


def _deleted_record(model, pk: int):
    deletion = _latest_record(model.history.all(), pk)
    if deletion is None or deletion.history_type != "-":
        raise ValidationError(
            _("%(kind)s er ikke slettet.") % {"kind": capfirst(model._meta.verbose_name)}
        )
    return deletion


# What is restored with an object: (model, its key to the object, what is restored with it).
Parts = tuple[tuple[type, str, "Parts"], ...]
MILESTONES: Parts = ((Milestone, "target_id", ()),)
TARGETS: Parts = ((GoalTarget, "goal_id", MILESTONES),)
GOAL_PARTS: Parts = (*TARGETS, (Action, "goal_id", ()))
# Focus areas before the goals and actions in them; actions of no goal after the goals,
# which bring back their own.
STRATEGY_PARTS: Parts = (
    (FocusArea, "strategy_id", ()),
    (Goal, "strategy_id", GOAL_PARTS),
    (Action, "strategy_id", ()),
)


def _restore(deletion, user: User, *, parts: Parts):
    """Save the object of `deletion` again, and the `parts` deleted with it, each with a
    history record saying it was restored."""
    if not user.is_superuser:
        raise PermissionDenied
    obj = _as_restored(deletion, user)
    _save_restored(obj)
    for model, key, own_parts in parts:
        for record in _nested_last(deleted_with(deletion, model, key)):
            # A part whose focus area (or other owner it is deleted with) is still gone
            # was deleted earlier with that, not with this object.
            if any(
                field.remote_field.on_delete is models.CASCADE for field in _gone(record.instance)
            ):
                continue
            _restore(record, user, parts=own_parts)
    return obj


def _nested_last(records: list) -> list:
    """`records` with one nested in another of them (a focus area under another, one level
    deep) after it, so that what it hangs on is back first."""
    pks = {record.id for record in records}

    def nested(record) -> bool:
        return any(
            field.is_relation
            and field.related_model is record.instance_type
            and getattr(record, field.attname) in pks
            for field in record.instance_type._meta.concrete_fields
        )

    return sorted(records, key=nested)


@transaction.atomic
def indicator_restore(*, indicator_id: int, user: User) -> Indicator:
    """Bring back a deleted indicator from its history as it was, with its reporting
    organizations and the values that were deleted with it (not those deleted on their own
    before), each recorded in its history as restored. Superusers only: a deletion is
    theirs. Goal targets never go with an indicator (they protect it), so none come back."""
    if not user.is_superuser:
        raise PermissionDenied
    deletion = _deleted_record(Indicator, indicator_id)
    # The deletion's own record is written after the reporting links are gone: the record
    # before it holds them.
    before = (
        Indicator.history.filter(id=indicator_id, history_date__lte=deletion.history_date)
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    indicator = _restore(deletion, user, parts=((IndicatorValue, "indicator_id", ()),))
    if before is not None:
        reporters = [link.organization_id for link in before.reporting_organizations.all()]
        indicator.reporting_organizations.set(
            Organization.objects.filter(pk__in=reporters).values_list("pk", flat=True)
        )
    refresh_assessments(GoalTarget.objects.filter(indicator=indicator))
    return indicator


@transaction.atomic
def target_restore(*, target_id: int, user: User) -> GoalTarget:
    """Bring back a deleted goal target as it was, with the milestones deleted with it, and
    assess it again. Its goal and indicator must still be there: a target deleted with its
    goal or strategy comes back only with them."""
    if not user.is_superuser:
        raise PermissionDenied
    deletion = _deleted_record(GoalTarget, target_id)
    target = _restore(deletion, user, parts=MILESTONES)
    refresh_assessments(GoalTarget.objects.filter(pk=target.pk))
    return target


@transaction.atomic
def goal_restore(*, goal_id: int, user: User) -> Goal:
    """Bring back a deleted goal as it was, with the targets (and their milestones) and the
    actions deleted with it, and assess its targets again. Its themes are not in its history
    and do not come back; its strategy (and focus area) must still be there."""
    if not user.is_superuser:
        raise PermissionDenied
    deletion = _deleted_record(Goal, goal_id)
    goal = _restore(deletion, user, parts=GOAL_PARTS)
    refresh_assessments(GoalTarget.objects.filter(goal=goal))
    return goal


@transaction.atomic
def strategy_restore(*, strategy_id: int, user: User) -> Strategy:
    """Bring back a deleted strategy as it was, with the focus areas, goals (with their
    targets, milestones and actions) and actions deleted with it, each recorded in its
    history as restored, and assess its targets again. Its owner must still be there.
    Its terms and mentorships keep no history, and the themes of its goals and focus areas
    are not in theirs: those do not come back."""
    if not user.is_superuser:
        raise PermissionDenied
    deletion = _deleted_record(Strategy, strategy_id)
    strategy = _restore(deletion, user, parts=STRATEGY_PARTS)
    # Back again, it ends the version it replaces as before.
    refresh_assessments(
        GoalTarget.objects.filter(goal__strategy__in={strategy.pk, strategy.replaces_id} - {None})
    )
    return strategy


def deleted_with(deletion, model, key: str) -> list:
    """The historical records of the `model` objects deleted with the object of `deletion`
    (`key` is their key to it): those whose last record up to then is a deletion marked
    `DELETED_WITH`, and that are not back since."""
    latest = {}
    for record in model.history.filter(
        **{key: deletion.id}, history_date__lte=deletion.history_date
    ).order_by("id", "-history_date", "-history_id"):
        latest.setdefault(record.id, record)
    back = set(model.objects.filter(pk__in=latest).values_list("pk", flat=True))
    return [
        record
        for pk, record in latest.items()
        if record.history_type == "-"
        and record.history_change_reason == DELETED_WITH
        and pk not in back
    ]
