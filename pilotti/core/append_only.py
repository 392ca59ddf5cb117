"""A PostgreSQL trigger that refuses UPDATE and DELETE on a log table, for its migration.

The models already refuse changes in the application; the trigger also stops a script, a
shell or a compromised account with table access from rewriting the log. TRUNCATE is left
alone: a deliberate administrative act (and pytest-django's flush between tests uses it).
SQLite, the embedded default, has only the application's guard.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def refuse_update_and_delete(table: str, name: str, what: str) -> migrations.RunPython:
    """A migration operation installing the trigger ``name`` on ``table`` (PostgreSQL only)."""
    create_sql = f"""
CREATE OR REPLACE FUNCTION pilotti_{name}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the {what} is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION pilotti_{name}();
"""
    drop_sql = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS pilotti_{name}();"

    def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create_sql, params=None)

    def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop_sql, params=None)

    return migrations.RunPython(create, drop)
