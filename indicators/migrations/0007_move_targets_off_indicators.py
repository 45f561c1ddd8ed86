"""Move every indicator to the new shape without losing a value, target or milestone.

Each old indicator becomes its strategy owner's time series (`Indicator.organization`) of a
metric: the shared metric it was linked to when that metric measures in the same unit and
kind of period, otherwise a metric of the organization's own carrying the indicator's unit,
decimals and rules. Its target, baseline and milestones become the goal's `GoalTarget`, and
the history of the old indicator's target fields becomes the history of that target, so the
public list of target changes stays whole. Values stay where they were: on the indicator.
"""

from django.db import migrations


def _free_slug(queryset, base: str) -> str:
    slug, number = base[:80], 2
    while queryset.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug, number = base[: 80 - len(suffix)] + suffix, number + 1
    return slug


TARGET_FIELDS = (
    "direction",
    "baseline_period",
    "baseline_value",
    "target_period",
    "target_value",
    "target_value_max",
    "stated_annual_growth",
)


def _metric_for(Metric, indicator, owner):
    metric = indicator.metric
    if (
        metric is not None
        and metric.unit == indicator.unit
        and metric.period_kind == indicator.period_kind
    ):
        # The shared metric now carries what the indicator said about what may be reported.
        metric.measure = indicator.measure
        metric.decimals = max(metric.decimals, indicator.decimals)
        metric.counts_pupils = metric.counts_pupils or indicator.counts_pupils
        if indicator.aggregation == "sum":
            metric.aggregation = "sum"
        metric.save()
        return metric
    return Metric.objects.create(
        name=indicator.name,
        slug=_free_slug(Metric.objects.all(), f"{owner.slug}-{indicator.slug}"),
        owner=owner,
        definition=indicator.definition or indicator.name,
        unit=indicator.unit,
        measure=indicator.measure,
        decimals=indicator.decimals,
        period_kind=indicator.period_kind,
        counts_pupils=indicator.counts_pupils,
        aggregation=indicator.aggregation,
        language=indicator.goal.strategy.language,
    )


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Metric = apps.get_model("indicators", "Metric")
    GoalTarget = apps.get_model("indicators", "GoalTarget")
    Milestone = apps.get_model("indicators", "Milestone")
    HistoricalIndicator = apps.get_model("indicators", "HistoricalIndicator")
    HistoricalGoalTarget = apps.get_model("indicators", "HistoricalGoalTarget")
    HistoricalMilestone = apps.get_model("indicators", "HistoricalMilestone")

    for indicator in Indicator.objects.select_related("goal__strategy__owner", "metric").order_by(
        "pk"
    ):
        owner = indicator.goal.strategy.owner
        indicator.metric = _metric_for(Metric, indicator, owner)
        indicator.organization = owner
        # Slugs were unique per goal; now they are unique per organization.
        indicator.slug = _free_slug(
            Indicator.objects.filter(organization=owner).exclude(pk=indicator.pk), indicator.slug
        )
        indicator.save()
        target = GoalTarget.objects.create(
            goal=indicator.goal,
            indicator=indicator,
            order=indicator.order,
            **{field: getattr(indicator, field) for field in TARGET_FIELDS},
        )
        Milestone.objects.filter(indicator=indicator).update(target=target)
        HistoricalMilestone.objects.filter(indicator_id=indicator.pk).update(target_id=target.pk)
        HistoricalGoalTarget.objects.bulk_create(
            HistoricalGoalTarget(
                id=target.pk,
                goal_id=record.goal_id,
                indicator_id=indicator.pk,
                history_date=record.history_date,
                history_change_reason=record.history_change_reason,
                history_type=record.history_type,
                history_user_id=record.history_user_id,
                **{field: getattr(record, field) for field in TARGET_FIELDS},
            )
            for record in HistoricalIndicator.objects.filter(id=indicator.pk).order_by(
                "history_date", "history_id"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0006_goal_targets_and_metric_definitions")]

    # Backwards, the old columns come back empty: there is no way back for the data.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
