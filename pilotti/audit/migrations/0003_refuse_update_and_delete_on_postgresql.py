"""On PostgreSQL the database itself refuses UPDATE and DELETE on the access log.

The model already refuses them in the application; this also stops a script, a shell or a
compromised account with table access from rewriting history. TRUNCATE is left alone: it is
a deliberate administrative act (and pytest-django's flush between tests uses it).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = """
CREATE OR REPLACE FUNCTION pilotti_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS access_log_append_only ON audit_accesslog;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION pilotti_access_log_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS access_log_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS pilotti_access_log_append_only();
"""


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_more_actions_and_purposes")]
    operations = [migrations.RunPython(create, drop)]
