import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_move_targets_off_indicators")]

    operations = [
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_slug_unique',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_measure_valid',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_direction_valid',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_period_kind_valid',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_aggregation_valid',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_decimals_at_most_four',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_baseline_complete',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_target_after_baseline',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_periods_in_range',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_percentages_within_0_100',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_growth_above_minus_100',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_percentages_not_summed',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_range_has_upper_bound',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_has_a_target_value_or_growth',
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_values_not_negative',
        ),
        migrations.RemoveConstraint(
            model_name='milestone',
            name='milestone_unique',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='aggregation',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='baseline_period',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='baseline_value',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='counts_pupils',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='decimals',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='direction',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='goal',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='measure',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='period_kind',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='stated_annual_growth',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='target_period',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='target_value',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='target_value_max',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='unit',
        ),
        migrations.RemoveField(
            model_name='historicalmilestone',
            name='indicator',
        ),
        migrations.AlterField(
            model_name='historicalindicator',
            name='definition',
            field=models.TextField(blank=True, help_text='Kun hvis den afviger fra målingens.', verbose_name='definition'),
        ),
        migrations.AlterField(
            model_name='historicalindicator',
            name='metric',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Hvad der måles, i hvilken enhed og periode. Vælg en fælles måling, hvis andre organisationer måler det samme, så kan I sammenlignes.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.metric', verbose_name='måling'),
        ),
        migrations.AlterField(
            model_name='historicalindicatorvalue',
            name='source',
            field=models.CharField(blank=True, help_text='Dokument med side eller afsnit, eller udgiver og dato, fx »Kvalitetsrapport 2024, s. 12«.', max_length=300, verbose_name='kilde'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='definition',
            field=models.TextField(blank=True, help_text='Kun hvis den afviger fra målingens.', verbose_name='definition'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='metric',
            field=models.ForeignKey(help_text='Hvad der måles, i hvilken enhed og periode. Vælg en fælles måling, hvis andre organisationer måler det samme, så kan I sammenlignes.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='indicators', to='indicators.metric', verbose_name='måling'),
        ),
        migrations.AlterField(
            model_name='indicatorvalue',
            name='source',
            field=models.CharField(blank=True, help_text='Dokument med side eller afsnit, eller udgiver og dato, fx »Kvalitetsrapport 2024, s. 12«.', max_length=300, verbose_name='kilde'),
        ),
        migrations.AlterField(
            model_name='metric',
            name='unit',
            field=models.CharField(help_text='Som den skrives efter tallet: årselever, %, m² pr. elev.', max_length=40, verbose_name='enhed'),
        ),
        migrations.AlterField(
            model_name='referencefigure',
            name='metric',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reference_figures', to='indicators.metric', verbose_name='måling'),
        ),
        migrations.AlterField(
            model_name='referencefigure',
            name='source',
            field=models.CharField(blank=True, help_text='Dokument med side eller afsnit, eller udgiver og dato, fx »Kvalitetsrapport 2024, s. 12«.', max_length=300, verbose_name='kilde'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='metric',
            field=models.ForeignKey(help_text='Hvad der måles, i hvilken enhed og periode. Vælg en fælles måling, hvis andre organisationer måler det samme, så kan I sammenlignes.', on_delete=django.db.models.deletion.PROTECT, related_name='indicators', to='indicators.metric', verbose_name='måling'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicators', to='municipalities.organization', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='milestone',
            name='target',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='indicators.goaltarget', verbose_name='målsætning'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.UniqueConstraint(fields=('organization', 'slug'), name='indicator_slug_unique_per_organization'),
        ),
        migrations.AddConstraint(
            model_name='metric',
            constraint=models.CheckConstraint(condition=models.Q(('measure__in', ['count', 'percent', 'quantity'])), name='metric_measure_valid'),
        ),
        migrations.AddConstraint(
            model_name='metric',
            constraint=models.CheckConstraint(condition=models.Q(('period_kind__in', ['calendar_year', 'school_year'])), name='metric_period_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='metric',
            constraint=models.CheckConstraint(condition=models.Q(('aggregation__in', ['own', 'sum'])), name='metric_aggregation_valid'),
        ),
        migrations.AddConstraint(
            model_name='metric',
            constraint=models.CheckConstraint(condition=models.Q(('aggregation', 'sum'), ('measure', 'percent'), _negated=True), name='metric_percentages_not_summed', violation_error_message='Procentsatser kan ikke lægges sammen.'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.UniqueConstraint(fields=('target', 'period'), name='milestone_unique'),
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='aggregation',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='baseline_period',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='baseline_value',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='counts_pupils',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='decimals',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='direction',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='goal',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='measure',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='order',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='period_kind',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='stated_annual_growth',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='target_period',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='target_value',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='target_value_max',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='unit',
        ),
        migrations.RemoveField(
            model_name='milestone',
            name='indicator',
        ),
        migrations.AddConstraint(
            model_name='goaltarget',
            constraint=models.UniqueConstraint(fields=('goal', 'indicator'), name='goal_target_one_per_goal_and_indicator', violation_error_message='Målet har allerede en målsætning for indikatoren.'),
        ),
        migrations.AddConstraint(
            model_name='goaltarget',
            constraint=models.CheckConstraint(condition=models.Q(('direction__in', ['at_least', 'at_most', 'range'])), name='goal_target_direction_valid'),
        ),
        migrations.AddConstraint(
            model_name='goaltarget',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('baseline_period__isnull', True), ('baseline_value__isnull', True)), models.Q(('baseline_period__isnull', False), ('baseline_value__isnull', False)), _connector='OR'), name='goal_target_baseline_complete', violation_error_message='Udgangspunktet skal have både en periode og en værdi.'),
        ),
        migrations.AddConstraint(
            model_name='goaltarget',
            constraint=models.CheckConstraint(condition=models.Q(('baseline_period__isnull', True), ('target_period__isnull', True), ('target_period__gt', models.F('baseline_period')), _connector='OR'), name='goal_target_after_baseline', violation_error_message='Målets periode skal ligge efter udgangspunktets.'),
        ),
        migrations.AddConstraint(
            model_name='goaltarget',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('baseline_period__isnull', True), ('baseline_period__range', (1900, 2100)), _connector='OR'), models.Q(('target_period__isnull', True), ('target_period__range', (1900, 2100)), _connector='OR')), name='goal_target_periods_in_range'),
        ),
        migrations.AddConstraint(
            model_name='goaltarget',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('direction', 'range'), ('target_value__isnull', False), ('target_value_max__gte', models.F('target_value')), ('target_value_max__isnull', False)), models.Q(models.Q(('direction', 'range'), _negated=True), ('target_value_max__isnull', True)), _connector='OR'), name='goal_target_range_has_upper_bound', violation_error_message='Et interval skal have en øvre grænse, der ikke er under den nedre; andre mål må ikke have en.'),
        ),
        migrations.AddConstraint(
            model_name='goaltarget',
            constraint=models.CheckConstraint(condition=models.Q(('target_value__isnull', False), ('stated_annual_growth__isnull', False), _connector='OR'), name='goal_target_has_a_value_or_growth', violation_error_message='Angiv en målværdi eller en årlig vækst.'),
        ),
        migrations.AddConstraint(
            model_name='goaltarget',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('target_value__isnull', True), ('target_value__gte', 0), _connector='OR'), models.Q(('baseline_value__isnull', True), ('baseline_value__gte', 0), _connector='OR')), name='goal_target_values_not_negative', violation_error_message='Værdier kan ikke være negative.'),
        ),
        migrations.AddConstraint(
            model_name='goaltarget',
            constraint=models.CheckConstraint(condition=models.Q(('stated_annual_growth__isnull', True), ('stated_annual_growth__gt', -100), _connector='OR'), name='goal_target_growth_above_minus_100'),
        ),
    ]
