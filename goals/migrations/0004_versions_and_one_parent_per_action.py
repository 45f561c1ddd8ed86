import django.db.models.deletion
from django.db import migrations, models


def keep_one_parent_per_action(apps, schema_editor):
    """An action under a goal was also listed under the goal's focus area; the goal is its
    parent, and the focus area follows from it."""
    Action = apps.get_model("goals", "Action")
    Action.objects.filter(goal__isnull=False, focus_area__isnull=False).update(focus_area=None)


class Migration(migrations.Migration):

    dependencies = [
        ('goals', '0003_themes'),
        ('municipalities', '0002_membership'),
    ]

    operations = [
        migrations.RenameField(model_name='workingmodel', old_name='source', new_name='document'),
        migrations.AddField(
            model_name='historicalstrategy',
            name='replaces',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Den tidligere version af strategien, som denne afløser.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='goals.strategy', verbose_name='afløser'),
        ),
        migrations.AddField(
            model_name='strategy',
            name='replaces',
            field=models.OneToOneField(blank=True, help_text='Den tidligere version af strategien, som denne afløser.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='successor', to='goals.strategy', verbose_name='afløser'),
        ),
        migrations.AlterField(
            model_name='workingmodel',
            name='document',
            field=models.ForeignKey(blank=True, help_text='Det dokument, der beskriver arbejdsmodellen.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='working_models', to='goals.strategy', verbose_name='beskrevet i'),
        ),
        migrations.AlterField(
            model_name='action',
            name='goal',
            field=models.ForeignKey(blank=True, help_text='Det mål, handlingen hører under. Vælg enten et mål eller et fokusområde, eller ingen af dem for en handling, der gælder hele strategien.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='goals.goal', verbose_name='mål'),
        ),
        migrations.AlterField(
            model_name='historicalaction',
            name='goal',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Det mål, handlingen hører under. Vælg enten et mål eller et fokusområde, eller ingen af dem for en handling, der gælder hele strategien.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='goals.goal', verbose_name='mål'),
        ),
        migrations.AlterField(
            model_name='strategyterm',
            name='source',
            field=models.CharField(blank=True, help_text='Hvor forklaringen stammer fra, fx »Center for Ledelse«.', max_length=300, verbose_name='kilde'),
        ),
        migrations.RunPython(keep_one_parent_per_action, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('goal__isnull', True), ('focus_area__isnull', True), _connector='OR'), name='action_has_at_most_one_parent', violation_error_message='En handling hører enten under et mål eller under et fokusområde, ikke begge.'),
        ),
        migrations.AddConstraint(
            model_name='strategy',
            constraint=models.CheckConstraint(condition=models.Q(('replaces', models.F('pk')), _negated=True), name='strategy_does_not_replace_itself'),
        ),
    ]
