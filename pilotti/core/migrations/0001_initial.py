from django.db import migrations, models


def unlogged(apps, schema_editor):
    # PostgreSQL: the counters skip the write-ahead log, so counting is no disk flush per request.
    # After a crash the table starts empty (the limits start again): nothing worth a flush.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_ratecounter SET UNLOGGED")


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                ("key", models.CharField(max_length=150, primary_key=True, serialize=False)),
                ("count", models.PositiveBigIntegerField(default=0)),
                ("expires", models.BigIntegerField(db_index=True)),
            ],
            options={
                "verbose_name": "rate-limit counter",
                "verbose_name_plural": "rate-limit counters",
            },
        ),
        migrations.RunPython(unlogged, migrations.RunPython.noop),
    ]
