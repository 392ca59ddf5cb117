"""On PostgreSQL the database itself refuses UPDATE and DELETE on the disclosure log."""

from django.db import migrations

from pilotti.core.append_only import refuse_update_and_delete


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_initial")]
    operations = [refuse_update_and_delete("rights_disclosure", "disclosure_log_append_only", "disclosure log")]
