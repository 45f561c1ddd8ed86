"""Loading the seed (`fixtures/seed`) into a database that people may have worked in since.

The seed only adds what is missing. An object it lists is found by its natural key (the fields
of its unique constraint, what it refers to looked up by natural key); one that differs from
the seed is left as it is, unless `force` and nobody but the seed has written it since it was
loaded: its latest history record is the seed's own (change reason "Seed", no user). If a
person changed any of them, `force` refuses as a whole and writes nothing, as overwriting one
of them would silently undo their work. Every write is an ordinary save, so it is recorded in
the history with the reason "Seed" and no user, and the receivers that keep the stored
assessments and the cached pages current see it as they see an editor's change.

A seeded object that the history shows was deleted, or renamed (given another address or
moved), is not added again: someone did that on purpose. What hangs on a deleted one (a
deleted strategy's goals) cannot be added either and is reported. Kinds without history
(organizations, themes, strategy terms, …) say nothing of who changed them: a difference
there counts as a person's change, and a missing one, which may have been deleted or renamed,
is added only into a database that holds no seed yet, under an object added in the same run,
or with `force`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from simple_history.models import registered_models

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seed"
# The change reason of every history record the seed writes; with no user, it marks the seed's.
SEED = "Seed"


@dataclass
class Difference:
    """A seeded object that differs from the seed: which fields, and who changed it last."""

    label: str
    fields: list[str]
    changed_by: str | None  # None: nobody but the seed wrote it since it was loaded

    def __str__(self) -> str:
        fields = ", ".join(self.fields)
        if self.changed_by is None:
            return f"{self.label} ({fields}): not changed since the seed loaded it"
        return f"{self.label} ({fields}): {self.changed_by}"


@dataclass
class SeedReport:
    added: list[models.Model] = field(default_factory=list)
    updated: list[models.Model] = field(default_factory=list)
    kept: list[Difference] = field(default_factory=list)  # differ from the seed, left alone
    gone: list[str] = field(default_factory=list)  # deleted or renamed, not added again
    unsure: list[str] = field(default_factory=list)  # kinds without history: only with force
    left_out: list[str] = field(default_factory=list)  # what they belong to is missing

    @property
    def changed_by_people(self) -> list[Difference]:
        return [difference for difference in self.kept if difference.changed_by is not None]


class SeedRefused(Exception):
    """`force` would overwrite what people changed; nothing was written."""

    def __init__(self, changed: list[Difference]):
        super().__init__(changed)
        self.changed = changed


def load_seed(*, seed_dir: Path = SEED_DIR, force: bool = False) -> SeedReport:
    """Add the seed's missing objects and, with `force`, bring the ones only the seed has
    written up to date with it; raise `SeedRefused` (and write nothing) if `force` would
    overwrite a person's change."""
    with transaction.atomic():
        run = _Run(force=force)
        for path in sorted(seed_dir.glob("*.yaml")):
            # The C parser, as loaddata uses: the pure Python one takes a second for the seed.
            entries = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            for entry in entries or []:
                run.load(entry)
        if force and run.report.changed_by_people:
            raise SeedRefused(run.report.changed_by_people)
        _start_history(run.unchanged)
    return run.report


class _Missing(Exception):
    pass


class _Run:
    def __init__(self, *, force: bool):
        self.force = force
        self.report = SeedReport()
        # Seeded objects as the seed has them, which may still lack their first history record.
        self.unchanged: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.added: set[tuple[type[models.Model], object]] = set()
        # The primary keys of the objects the seed refers to by natural key, each looked up
        # once (a strategy's sixty goals all name it).
        self.pks: dict[tuple, object] = {}
        self.seeded_before = any(
            model.history.filter(history_change_reason=SEED).exists()
            for model in registered_models.values()
            if not model._meta.auto_created
        )

    def load(self, entry: dict) -> None:
        """Add, update or leave one object of the seed."""
        model = apps.get_model(entry["model"])
        fields = [model._meta.get_field(name) for name in entry["fields"]]
        concrete = [f for f in fields if not f.many_to_many]
        try:
            seeded = model(**{f.attname: self.value(f, entry["fields"][f.name]) for f in concrete})
            m2m = {
                f.name: [self.pk(f.related_model, key) for key in entry["fields"][f.name]]
                for f in fields
                if f.many_to_many
            }
        except _Missing as missing:
            self.report.left_out.append(f"{entry['model']} of {missing}")
            return
        identity = {f.attname: getattr(seeded, f.attname) for f in _identity(model)}
        stored = model._base_manager.filter(**identity).first()
        if stored is None:
            self.add(seeded, m2m, identity)
            return

        changed = [
            f.name for f in concrete if f.value_from_object(stored) != f.value_from_object(seeded)
        ]
        changed_m2m = {
            name: pks
            for name, pks in m2m.items()
            if set(getattr(stored, name).values_list("pk", flat=True)) != set(pks)
        }
        if not changed and not changed_m2m:
            self.unchanged[model].append(stored)
            return
        difference = Difference(label(stored), changed + list(changed_m2m), _changed_by(stored))
        if self.force and difference.changed_by is None:
            for f in concrete:
                setattr(stored, f.attname, f.value_from_object(seeded))
            _save(stored, changed_m2m, fields_changed=bool(changed))
            self.report.updated.append(stored)
        else:
            self.report.kept.append(difference)

    def add(self, seeded: models.Model, m2m: dict[str, list], identity: dict) -> None:
        model = type(seeded)
        if hasattr(model, "history"):
            if gone := _gone(model, identity):
                self.report.gone.append(f"{label(seeded)} {gone}")
                return
        elif not (self.force or not self.seeded_before or self.hangs_on_added(seeded)):
            self.report.unsure.append(label(seeded))
            return
        _save(seeded, m2m)
        self.added.add((model, seeded.pk))
        self.report.added.append(seeded)

    def hangs_on_added(self, seeded: models.Model) -> bool:
        """Whether `seeded` refers to an object added in this run, so that no person can have
        deleted or renamed it."""
        return any(
            (f.related_model, getattr(seeded, f.attname)) in self.added
            for f in seeded._meta.fields
            if f.many_to_one
        )

    def value(self, field: models.Field, value):
        if field.many_to_one and isinstance(value, list):
            return self.pk(field.related_model, value)
        return field.to_python(value)

    def pk(self, model: type[models.Model], key: list) -> object:
        if (model, *key) not in self.pks:
            try:
                obj = model._default_manager.get_by_natural_key(*key)
            except model.DoesNotExist:
                raise _Missing(f"{model._meta.label_lower} {'/'.join(map(str, key))}") from None
            self.pks[(model, *key)] = obj.pk
        return self.pks[(model, *key)]


def _save(obj: models.Model, m2m_data: dict[str, list], *, fields_changed: bool = True) -> None:
    # An ordinary save: the history records it as the seed's, and the receivers refresh the
    # assessments and retire the cached pages it concerns.
    obj._change_reason = SEED
    if fields_changed:
        obj.save()
    for name, pks in m2m_data.items():
        getattr(obj, name).set(pks)


def _changed_by(stored: models.Model) -> str | None:
    """Who wrote `stored` last, or None if that was the seed."""
    if not hasattr(stored, "history"):
        return "changed by someone (this kind keeps no history)"
    latest = stored.history.order_by("-history_date", "-history_id").first()
    if latest is None:
        return "changed by someone (it has no history)"
    if latest.history_change_reason == SEED and latest.history_user_id is None:
        return None
    who = latest.history_user.get_username() if latest.history_user else "someone"
    return f"changed by {who} on {latest.history_date:%Y-%m-%d %H:%M} UTC"


def _gone(model: type[models.Model], identity: dict) -> str | None:
    """What the history says became of an object with the identity of one the seed would add
    (a unique constraint's fields, which its natural key names): deleted, or renamed."""
    record = model.history.filter(**identity).order_by("-history_date", "-history_id").first()
    if record is None:
        return None
    current = model._base_manager.filter(pk=record.id).first()
    return "was deleted" if current is None else f"is now {label(current)}"


def _identity(model: type[models.Model]) -> list[models.Field]:
    constraints = model._meta.total_unique_constraints
    if constraints:
        return [model._meta.get_field(name) for name in constraints[0].fields]
    return [f for f in model._meta.fields if f.unique and not f.primary_key and not f.is_relation]


def _start_history(unchanged: dict[type[models.Model], list[models.Model]]) -> None:
    """Give seeded objects without history (loaded with `loaddata`) a first record, so that
    later changes show what they changed from and that the seed wrote them."""
    for model, objects in unchanged.items():
        if not hasattr(model, "history"):
            continue
        recorded = set(
            model.history.filter(id__in=[obj.pk for obj in objects]).values_list("id", flat=True)
        )
        new = [obj for obj in objects if obj.pk not in recorded]
        if new:
            model.history.bulk_history_create(new, default_change_reason=SEED)


def label(obj: models.Model) -> str:
    """The model and natural key that name a seeded object in what the command says."""
    return f"{obj._meta.label_lower} {'/'.join(map(str, obj.natural_key()))}"
