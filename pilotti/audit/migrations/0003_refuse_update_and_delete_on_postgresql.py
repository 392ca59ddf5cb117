"""On PostgreSQL the database itself refuses UPDATE and DELETE on the access log."""

from django.db import migrations

from pilotti.core.append_only import refuse_update_and_delete


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_more_actions_and_purposes")]
    operations = [refuse_update_and_delete("audit_accesslog", "access_log_append_only", "access log")]
