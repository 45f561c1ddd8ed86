"""The migration to goal targets keeps every value, target and milestone: the seed as it was
written before (tests/migrations/seed_before_goal_targets) is loaded into the old schema and
migrated forward."""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD_SEED = Path(__file__).resolve().parent / "seed_before_goal_targets"
BEFORE = [
    ("municipalities", "0002_membership"),
    ("goals", "0003_themes"),
    ("indicators", "0005_metrics_for_comparison"),
]
# The models the old fixtures are loaded for, and how each finds an object by natural key.
LOADED = {
    "municipalities.organization": lambda key: {"slug": key[0]},
    "goals.strategy": lambda key: {"owner__slug": key[0], "slug": key[1]},
    "goals.focusarea": lambda key: {
        "strategy__owner__slug": key[0],
        "strategy__slug": key[1],
        "slug": key[2],
    },
    "goals.goal": lambda key: {
        "strategy__owner__slug": key[0],
        "strategy__slug": key[1],
        "slug": key[2],
    },
    "goals.action": None,
    "indicators.metric": lambda key: {"slug": key[0]},
    "indicators.indicator": lambda key: {
        "goal__strategy__owner__slug": key[0],
        "goal__strategy__slug": key[1],
        "goal__slug": key[2],
        "slug": key[3],
    },
    "indicators.indicatorvalue": None,
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def load_old_seed(apps) -> None:
    """The old YAML fixtures through the old models (loaddata knows only today's)."""
    for path in sorted(OLD_SEED.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            if item["model"] not in LOADED:
                continue
            model = apps.get_model(item["model"])
            fields, many = {}, {}
            for name, value in item["fields"].items():
                field = model._meta.get_field(name)
                if field.many_to_many:
                    if field.related_model._meta.label_lower in LOADED:
                        many[name] = [resolve(apps, field, key) for key in value]
                elif field.is_relation and value is not None:
                    fields[name] = resolve(apps, field, value)
                else:
                    fields[name] = value
            obj = model.objects.create(**fields)
            for name, objects in many.items():
                getattr(obj, name).set(objects)


def resolve(apps, field, key):
    label = field.related_model._meta.label_lower
    return apps.get_model(label).objects.get(**LOADED[label](key))


@pytest.mark.django_db(transaction=True)
def test_every_value_target_and_milestone_survives_the_move_to_goal_targets():
    old = migrate(BEFORE)
    try:
        load_old_seed(old)
        heg_indicator = old.get_model("indicators", "Indicator").objects.get(slug="arselever")
        old.get_model("indicators", "Milestone").objects.create(
            indicator=heg_indicator, period=2026, value=Decimal(1600)
        )
        history = old.get_model("indicators", "HistoricalIndicator")
        tracked = [f.attname for f in history._meta.fields if hasattr(heg_indicator, f.attname)]
        # A public change of the target, from 1,700 to 1,800.
        for day, target_value in ((1, 1700), (2, 1800)):
            record = {name: getattr(heg_indicator, name) for name in tracked}
            record["target_value"] = target_value
            history.objects.create(
                **record,
                history_date=datetime(2024, 1, day, tzinfo=UTC),
                history_type="~",
            )
        before = {
            (i.goal.strategy.owner.slug, i.slug): (
                i.direction,
                i.target_value,
                i.target_period,
                i.baseline_value,
                i.unit,
                i.decimals,
                sorted((v.period, v.value) for v in i.values.all()),
            )
            for i in old.get_model("indicators", "Indicator").objects.all()
        }
        assert len(before) == 6

        new = migrate(latest())

        targets = new.get_model("indicators", "GoalTarget").objects.select_related(
            "indicator__metric", "indicator__organization", "goal__strategy__owner"
        )
        after = {
            (t.indicator.organization.slug, t.indicator.slug): (
                t.direction,
                t.target_value,
                t.target_period,
                t.baseline_value,
                t.indicator.metric.unit,
                t.indicator.metric.decimals,
                sorted((v.period, v.value) for v in t.indicator.values.all()),
            )
            for t in targets
        }
        for key, (*target, unit, decimals, values) in before.items():
            assert after[key][:4] == tuple(target)
            assert after[key][4] == unit
            assert after[key][5] >= decimals  # a shared metric keeps its finer decimals
            assert after[key][6] == values
        heg = targets.get(indicator__slug="arselever")
        assert heg.goal.strategy.slug == "strategi-2028"
        assert [(m.period, m.value) for m in heg.milestones.all()] == [(2026, 1600)]
        changes = new.get_model("indicators", "HistoricalGoalTarget").objects.filter(id=heg.pk)
        assert sorted(record.target_value for record in changes) == [1700, 1800]
        herning = targets.get(indicator__slug="andel-unge-med-ungdomsuddannelse")
        assert herning.indicator.metric.slug == "ungdomsuddannelse-gennemfoert"
        assert herning.indicator.metric.owner_id is None
    finally:
        migrate(latest())
