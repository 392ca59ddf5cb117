"""Creates the database cache's table (CACHES in settings: the default, shared by every app server),
so that `migrate` alone sets up a server. Does nothing when the cache is Redis or Memcached; after
switching to the database cache later, run `manage.py createcachetable` once."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
