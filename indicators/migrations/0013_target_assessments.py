"""Stored assessments: a row per goal target with what the progress rules say of it.

The rows are filled by 0016_verdict_missed, which came with a change of the rules: it fills
them for every database, whether it had rows of the old rules or none yet.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0006_drafts_of_goals_and_actions"),
        ("indicators", "0012_drafts_of_targets"),
    ]

    operations = [
        migrations.CreateModel(
            name="TargetAssessment",
            fields=[
                (
                    "target",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="stored_assessment",
                        serialize=False,
                        to="indicators.goaltarget",
                        verbose_name="målsætning",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("not_enough_data", "For få tal"),
                            ("moving_away", "Går den forkerte vej"),
                            ("behind", "Bagud"),
                            ("on_track", "På rette vej"),
                            ("target_met", "Målet er nået"),
                        ],
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "progress",
                    models.FloatField(blank=True, null=True, verbose_name="fremdrift (%)"),
                ),
                (
                    "expected",
                    models.FloatField(
                        blank=True, null=True, verbose_name="forventet værdi i den seneste periode"
                    ),
                ),
                (
                    "latest_period",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="seneste periode"
                    ),
                ),
                (
                    "latest_value",
                    models.FloatField(blank=True, null=True, verbose_name="seneste værdi"),
                ),
                ("deadline_passed", models.BooleanField(verbose_name="målets periode er nået")),
                (
                    "forecast_shape",
                    models.CharField(blank=True, max_length=10, verbose_name="prognosens form"),
                ),
                (
                    "forecast_pace",
                    models.FloatField(blank=True, null=True, verbose_name="prognosens tempo"),
                ),
                (
                    "forecast_period",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="prognosens periode"
                    ),
                ),
                (
                    "forecast_on_time",
                    models.BooleanField(
                        blank=True, null=True, verbose_name="prognosen når målet i tide"
                    ),
                ),
                ("assessed_at", models.DateTimeField(verbose_name="vurderet")),
            ],
            options={
                "verbose_name": "gemt vurdering",
                "verbose_name_plural": "gemte vurderinger",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                [
                                    "not_enough_data",
                                    "moving_away",
                                    "behind",
                                    "on_track",
                                    "target_met",
                                ],
                            )
                        ),
                        name="target_assessment_status_valid",
                    )
                ],
            },
        ),
    ]
