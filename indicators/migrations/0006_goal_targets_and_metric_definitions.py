import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('goals', '0004_versions_and_one_parent_per_action'),
        ('indicators', '0005_metrics_for_comparison'),
        ('municipalities', '0002_membership'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='GoalTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='rækkefølge')),
                ('direction', models.CharField(choices=[('at_least', 'Mindst (højere er bedre)'), ('at_most', 'Højst (lavere er bedre)'), ('range', 'Inden for et interval')], max_length=10, verbose_name='retning')),
                ('baseline_period', models.PositiveSmallIntegerField(blank=True, help_text='Året; for et skoleår dets første år (2024 for 2024/25).', null=True, validators=[django.core.validators.MinValueValidator(1900), django.core.validators.MaxValueValidator(2100)], verbose_name='udgangspunktets periode')),
                ('baseline_value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='udgangspunkt')),
                ('target_period', models.PositiveSmallIntegerField(blank=True, help_text='Tomt, når dokumentet ikke sætter en frist.', null=True, validators=[django.core.validators.MinValueValidator(1900), django.core.validators.MaxValueValidator(2100)], verbose_name='målets periode')),
                ('target_value', models.DecimalField(blank=True, decimal_places=4, help_text='For et interval: den nedre grænse. Kan kun udelades, når målet alene er en angivet årlig vækst.', max_digits=16, null=True, verbose_name='målværdi')),
                ('target_value_max', models.DecimalField(blank=True, decimal_places=4, help_text='Kun for et interval.', max_digits=16, null=True, verbose_name='øvre grænse')),
                ('stated_annual_growth', models.DecimalField(blank=True, decimal_places=2, help_text='Den vækst, dokumentet selv nævner, fx 5 procent om året i gennemsnit.', max_digits=6, null=True, verbose_name='angivet årlig vækst (%)')),
            ],
            options={
                'verbose_name': 'målsætning',
                'verbose_name_plural': 'målsætninger',
                'ordering': ['goal_id', 'order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalGoalTarget',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('direction', models.CharField(choices=[('at_least', 'Mindst (højere er bedre)'), ('at_most', 'Højst (lavere er bedre)'), ('range', 'Inden for et interval')], max_length=10, verbose_name='retning')),
                ('baseline_period', models.PositiveSmallIntegerField(blank=True, help_text='Året; for et skoleår dets første år (2024 for 2024/25).', null=True, validators=[django.core.validators.MinValueValidator(1900), django.core.validators.MaxValueValidator(2100)], verbose_name='udgangspunktets periode')),
                ('baseline_value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='udgangspunkt')),
                ('target_period', models.PositiveSmallIntegerField(blank=True, help_text='Tomt, når dokumentet ikke sætter en frist.', null=True, validators=[django.core.validators.MinValueValidator(1900), django.core.validators.MaxValueValidator(2100)], verbose_name='målets periode')),
                ('target_value', models.DecimalField(blank=True, decimal_places=4, help_text='For et interval: den nedre grænse. Kan kun udelades, når målet alene er en angivet årlig vækst.', max_digits=16, null=True, verbose_name='målværdi')),
                ('target_value_max', models.DecimalField(blank=True, decimal_places=4, help_text='Kun for et interval.', max_digits=16, null=True, verbose_name='øvre grænse')),
                ('stated_annual_growth', models.DecimalField(blank=True, decimal_places=2, help_text='Den vækst, dokumentet selv nævner, fx 5 procent om året i gennemsnit.', max_digits=6, null=True, verbose_name='angivet årlig vækst (%)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical målsætning',
                'verbose_name_plural': 'historical målsætninger',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalIndicator_reporting_organizations',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalIndicator_reporting_organizations',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMetric',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='navn')),
                ('slug', models.SlugField(max_length=80, verbose_name='kortnavn i adresser')),
                ('definition', models.TextField(verbose_name='definition')),
                ('unit', models.CharField(help_text='Som den skrives efter tallet: årselever, %, m² pr. elev.', max_length=40, verbose_name='enhed')),
                ('measure', models.CharField(choices=[('count', 'Antal (hele tal)'), ('percent', 'Procent (0–100)'), ('quantity', 'Mængde eller forholdstal (fx årselever, m² pr. elev)')], default='quantity', help_text='Bestemmer, hvilke værdier der kan indberettes.', max_length=10, verbose_name='slags tal')),
                ('decimals', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(4)], verbose_name='decimaler')),
                ('period_kind', models.CharField(choices=[('calendar_year', 'Kalenderår'), ('school_year', 'Skoleår')], default='calendar_year', max_length=15, verbose_name='periode')),
                ('counts_pupils', models.BooleanField(default=False, help_text='Tal om få elever må ikke offentliggøres: en værdi under 5 vises som »færre end 5« og udelades af diagrammer og downloads.', verbose_name='tæller elever')),
                ('aggregation', models.CharField(choices=[('own', 'Ejerens egen værdi; andre organisationers værdier vises til sammenligning'), ('sum', 'Summen af de indberettende organisationers værdier')], default='own', max_length=5, verbose_name='samlet værdi')),
                ('language', models.CharField(choices=[('da', 'Dansk'), ('sv', 'Svensk'), ('en', 'Engelsk')], default='da', max_length=2, verbose_name='indholdets sprog')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical måling',
                'verbose_name_plural': 'historical målinger',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AlterModelOptions(
            name='indicator',
            options={'ordering': ['organization_id', 'name', 'pk'], 'verbose_name': 'indikator', 'verbose_name_plural': 'indikatorer'},
        ),
        migrations.AlterModelOptions(
            name='metric',
            options={'ordering': ['name'], 'verbose_name': 'måling', 'verbose_name_plural': 'målinger'},
        ),
        migrations.AlterModelOptions(
            name='milestone',
            options={'ordering': ['target_id', 'period'], 'verbose_name': 'delmål', 'verbose_name_plural': 'delmål'},
        ),
        migrations.AddField(
            model_name='historicalindicator',
            name='organization',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='municipalities.organization', verbose_name='organisation'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='organization',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='indicators', to='municipalities.organization', verbose_name='organisation'),
        ),
        migrations.AddField(
            model_name='metric',
            name='aggregation',
            field=models.CharField(choices=[('own', 'Ejerens egen værdi; andre organisationers værdier vises til sammenligning'), ('sum', 'Summen af de indberettende organisationers værdier')], default='own', max_length=5, verbose_name='samlet værdi'),
        ),
        migrations.AddField(
            model_name='metric',
            name='counts_pupils',
            field=models.BooleanField(default=False, help_text='Tal om få elever må ikke offentliggøres: en værdi under 5 vises som »færre end 5« og udelades af diagrammer og downloads.', verbose_name='tæller elever'),
        ),
        migrations.AddField(
            model_name='metric',
            name='measure',
            field=models.CharField(choices=[('count', 'Antal (hele tal)'), ('percent', 'Procent (0–100)'), ('quantity', 'Mængde eller forholdstal (fx årselever, m² pr. elev)')], default='quantity', help_text='Bestemmer, hvilke værdier der kan indberettes.', max_length=10, verbose_name='slags tal'),
        ),
        migrations.AddField(
            model_name='metric',
            name='owner',
            field=models.ForeignKey(blank=True, help_text='Tom for en fælles måling, som flere organisationer bruger; ellers den organisation, der alene måler sådan.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='own_metrics', to='municipalities.organization', verbose_name='organisation'),
        ),
        migrations.AddField(
            model_name='goaltarget',
            name='goal',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='goals.goal', verbose_name='mål'),
        ),
        migrations.AddField(
            model_name='goaltarget',
            name='indicator',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='indicators.indicator', verbose_name='indikator'),
        ),
        migrations.AddField(
            model_name='historicalmilestone',
            name='target',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.goaltarget', verbose_name='målsætning'),
        ),
        migrations.AddField(
            model_name='milestone',
            name='target',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='indicators.goaltarget', verbose_name='målsætning'),
        ),
        migrations.AddField(
            model_name='historicalgoaltarget',
            name='goal',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='goals.goal', verbose_name='mål'),
        ),
        migrations.AddField(
            model_name='historicalgoaltarget',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalgoaltarget',
            name='indicator',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator', verbose_name='indikator'),
        ),
        migrations.AddField(
            model_name='historicalindicator_reporting_organizations',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='indicators.historicalindicator'),
        ),
        migrations.AddField(
            model_name='historicalindicator_reporting_organizations',
            name='indicator',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator'),
        ),
        migrations.AddField(
            model_name='historicalindicator_reporting_organizations',
            name='organization',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='municipalities.organization'),
        ),
        migrations.AddField(
            model_name='historicalmetric',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalmetric',
            name='owner',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Tom for en fælles måling, som flere organisationer bruger; ellers den organisation, der alene måler sådan.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='municipalities.organization', verbose_name='organisation'),
        ),
    ]
