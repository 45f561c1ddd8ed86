"""Loading the seed (`fixtures/seed`) into a database that people may have worked in since.

The seed only adds what is missing. An object it lists is found by its natural key; one that
differs from the seed is left as it is, unless `force` and nobody but the seed has written it
since it was loaded: its latest history record is the seed's own (change reason "Seed", no
user). If a person changed any of them, `force` refuses as a whole and writes nothing, as
overwriting one of them would silently undo their work. Every write is an ordinary save, so
it is recorded in the history with the reason "Seed" and no user, and the receivers that keep
the stored assessments and the cached pages current see it as they see an editor's change.

A seeded object whose deletion the history records is not added again: someone removed it on
purpose. What hangs on it (a deleted strategy's goals) cannot be added either and is reported.
Kinds without history (organizations, themes, strategy terms, …) say nothing of who changed
them, so a difference there counts as a person's change, and a deleted one is added again.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.db import models, transaction

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
    deleted: list[str] = field(default_factory=list)  # deleted since loaded, not added again
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
    report = SeedReport()
    references = _References()
    with transaction.atomic():
        unchanged: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        for path in sorted(seed_dir.glob("*.yaml")):
            # The C parser, as loaddata uses: the pure Python one takes a second for the seed.
            entries = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            for entry in entries or []:
                seeded = _load_entry(entry, references=references, force=force, report=report)
                if seeded is not None:
                    unchanged[type(seeded)].append(seeded)
        if force and report.changed_by_people:
            raise SeedRefused(report.changed_by_people)
        _start_history(unchanged)
    return report


class _Missing(Exception):
    pass


class _References:
    """The primary keys of the objects the seed refers to by natural key, each looked up once
    (a strategy's sixty goals all name it)."""

    def __init__(self):
        self.pks: dict[tuple, object] = {}

    def pk(self, model: type[models.Model], key: list) -> object:
        if (model, *key) not in self.pks:
            try:
                obj = model._default_manager.get_by_natural_key(*key)
            except model.DoesNotExist:
                raise _Missing(f"{model._meta.label_lower} {'/'.join(map(str, key))}") from None
            self.pks[(model, *key)] = obj.pk
        return self.pks[(model, *key)]


def _load_entry(
    entry: dict, *, references: _References, force: bool, report: SeedReport
) -> models.Model | None:
    """Add, update or leave one object of the seed; return the stored object if it is as the
    seed has it and was already there."""
    model = apps.get_model(entry["model"])
    fields = [model._meta.get_field(name) for name in entry["fields"]]
    concrete = [f for f in fields if not f.many_to_many]
    try:
        seeded = model(
            **{f.attname: _value(f, entry["fields"][f.name], references) for f in concrete}
        )
        m2m = {
            f.name: [references.pk(f.related_model, key) for key in entry["fields"][f.name]]
            for f in fields
            if f.many_to_many
        }
    except _Missing as missing:
        report.left_out.append(f"{entry['model']} of {missing}")
        return None
    identity = {f.attname: getattr(seeded, f.attname) for f in _identity(model)}
    stored = model._base_manager.filter(**identity).first()
    if stored is None:
        if _deleted(model, identity):
            report.deleted.append(label(seeded))
        else:
            _save(seeded, m2m)
            report.added.append(seeded)
        return None

    changed = [
        f.name for f in concrete if f.value_from_object(stored) != f.value_from_object(seeded)
    ]
    changed_m2m = {
        name: pks
        for name, pks in m2m.items()
        if set(getattr(stored, name).values_list("pk", flat=True)) != set(pks)
    }
    if not changed and not changed_m2m:
        return stored
    difference = Difference(label(stored), changed + list(changed_m2m), _changed_by(stored))
    if force and difference.changed_by is None:
        for f in concrete:
            setattr(stored, f.attname, f.value_from_object(seeded))
        _save(stored, changed_m2m, fields_changed=bool(changed))
        report.updated.append(stored)
    else:
        report.kept.append(difference)
    return None


def _value(field: models.Field, value, references: _References):
    if field.many_to_one and isinstance(value, list):
        return references.pk(field.related_model, value)
    return field.to_python(value)


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


def _deleted(model: type[models.Model], identity: dict) -> bool:
    """Whether the history records the deletion of an object with the identity of one the seed
    would add (a unique constraint's fields, which its natural key names)."""
    return hasattr(model, "history") and (
        model.history.filter(history_type="-", **identity).exists()
    )


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
