from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from pilotti.evaluation import versions


def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    versions.create_triggers(schema_editor.connection)


def drop(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    versions.drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0002_cache_table'),
        # The tables the triggers watch exist after these.
        ('costs', '0001_initial'),
        ('council', '0001_initial'),
        ('interviews', '0001_initial'),
        ('serviceuse', '0001_initial'),
        ('instruments', '0002_names_by_language'),
        ('measurement', '0003_invitations'),
        ('meetings', '0003_feed_language'),
        ('organisations', '0002_rights_policy'),
        ('people', '0003_interview_consent'),
        ('programmes', '0006_partnership_invitation'),
        ('recruitment', '0004_funnel_counts'),
    ]

    operations = [
        migrations.CreateModel(
            name='Change',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('programme_key', models.BigIntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['programme_key', 'id'], name='evaluation_change_version')],
            },
        ),
        migrations.RunPython(create, drop),
    ]
