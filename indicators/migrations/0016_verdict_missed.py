"""A target whose period has come and gone unmet is "missed" (Ikke nået), and a target value is
judged by its forecast, so status and forecast sentence always agree; values are compared with
the target at the indicator's decimals. The stored assessments are computed afresh here.

A migration sees the models as they were at this point, without their methods, so it gives
the progress rules (`indicators.progress`, pure functions) the inputs `GoalTarget.assessment`
gives them: the target with its baseline, milestones and decimals, and its indicator's approved
values combined by the metric's aggregation, up to its strategy's last year once a published
version replaces the strategy. When the rules change again, `manage.py refresh_assessments`
brings the rows up to date, or a migration like this one does.
"""

from collections import defaultdict

from django.db import migrations, models
from django.utils import timezone

from indicators.progress import Direction, Point, Reported, Target, assess, combine_values


def _float(value):
    return None if value is None else float(value)


def fill(apps, schema_editor):
    """Every target assessed afresh, as `GoalTarget.assessment` does."""
    GoalTarget = apps.get_model("indicators", "GoalTarget")
    Indicator = apps.get_model("indicators", "Indicator")
    IndicatorValue = apps.get_model("indicators", "IndicatorValue")
    Strategy = apps.get_model("goals", "Strategy")
    TargetAssessment = apps.get_model("indicators", "TargetAssessment")

    targeted = GoalTarget.objects.values("indicator_id")
    values = defaultdict(list)
    approved = IndicatorValue.objects.filter(status="approved", indicator__in=targeted)
    for indicator, organization, period, value, weight in approved.values_list(
        "indicator_id", "organization_id", "period", "value", "weight"
    ):
        values[indicator].append(Reported(organization, period, float(value), _float(weight)))
    reporters = defaultdict(list)
    reporting = Indicator.reporting_organizations.through.objects.filter(indicator__in=targeted)
    for indicator, organization in reporting.values_list("indicator_id", "organization_id"):
        reporters[indicator].append(organization)
    replaced = set(
        Strategy.objects.filter(status="published", replaces__isnull=False).values_list(
            "replaces_id", flat=True
        )
    )

    TargetAssessment.objects.all().delete()
    assessed_at = timezone.now()
    rows = []
    for target in GoalTarget.objects.select_related(
        "indicator__metric", "goal__strategy"
    ).prefetch_related("milestones"):
        indicator = target.indicator
        series = combine_values(
            values[indicator.pk],
            owner=indicator.organization_id,
            reporters=reporters[indicator.pk],
            aggregation=indicator.metric.aggregation,
        ).points
        strategy = target.goal.strategy
        if strategy.pk in replaced and strategy.end_year is not None:
            series = [point for point in series if point.period <= strategy.end_year]
        assessment = assess(
            Target(
                direction=Direction(target.direction),
                value=_float(target.target_value),
                upper=_float(target.target_value_max),
                period=target.target_period,
                stated_growth=_float(target.stated_annual_growth),
                baseline=None
                if target.baseline_period is None
                else Point(target.baseline_period, float(target.baseline_value)),
                milestones=tuple(
                    Point(milestone.period, float(milestone.value))
                    for milestone in target.milestones.all()
                ),
                decimals=indicator.metric.decimals,
            ),
            series,
        )
        latest, forecast = assessment.latest, assessment.forecast
        rows.append(
            TargetAssessment(
                target_id=target.pk,
                status=assessment.status.value,
                progress=assessment.progress,
                expected=assessment.expected,
                latest_period=None if latest is None else latest.period,
                latest_value=None if latest is None else latest.value,
                deadline_passed=assessment.deadline_passed,
                forecast_shape="" if forecast is None else forecast.shape.value,
                forecast_pace=None if forecast is None else forecast.pace,
                forecast_period=None if forecast is None else forecast.period,
                forecast_on_time=None if forecast is None else forecast.on_time,
                assessed_at=assessed_at,
            )
        )
    TargetAssessment.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0015_archived"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="targetassessment",
            name="target_assessment_status_valid",
        ),
        migrations.AlterField(
            model_name="targetassessment",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_enough_data", "For få tal"),
                    ("missed", "Ikke nået"),
                    ("moving_away", "Går den forkerte vej"),
                    ("behind", "Bagud"),
                    ("on_track", "På rette vej"),
                    ("target_met", "Målet er nået"),
                ],
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AddConstraint(
            model_name="targetassessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "not_enough_data",
                            "missed",
                            "moving_away",
                            "behind",
                            "on_track",
                            "target_met",
                        ],
                    )
                ),
                name="target_assessment_status_valid",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
