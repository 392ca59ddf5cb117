"""The data version of each programme: the part of a report's cache key that changes with its data.

A built report is remembered (``services.report_build``) under a key that holds the programme's
data version. The version is the newest row of ``evaluation_change``, an append-only table that
database triggers write in the same statement as every change to a table the report reads: a
service, an import, a correction, erasure, a cascade, the benchmark generator's bulk inserts or
an operator's SQL. A write that commits changes the key at once, so a remembered report is never
stale; a write that rolls back takes its change row with it.

Append-only, not a counter row per programme: a counter would be one row that every answer to a
programme's panel locks until it commits (issue 24 removed such hot rows). Each change row names
the programme its table row belongs to (``WATCHED``); a row whose programme cannot be named
cheaply, or that many programmes read (an instrument's scoring, a person's consent), is written
for all programmes (``ALL``). ``prune`` keeps the table small.
"""

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "evaluation_change"
ALL = 0


def _unit(unit_id: str) -> str:
    return f"(SELECT programme_id FROM programmes_deliveryunit WHERE id = {unit_id})"  # noqa: S608 - SQL of this module's constants


def _meeting(meeting_id: str) -> str:
    return (
        "(SELECT u.programme_id FROM programmes_meeting m JOIN programmes_deliveryunit u ON u.id = m.unit_id "  # noqa: S608
        f"WHERE m.id = {meeting_id})"
    )


def _response(response_id: str) -> str:
    return (
        "(SELECT u.programme_id FROM instruments_response r JOIN programmes_meeting m ON m.id = r.meeting_id "  # noqa: S608
        f"JOIN programmes_deliveryunit u ON u.id = m.unit_id WHERE r.id = {response_id})"
    )


def _answer(answer_id: str) -> str:
    return _response(f"(SELECT response_id FROM instruments_answer WHERE id = {answer_id})")  # noqa: S608


def _programme(row: str) -> str:
    return f"{row}.programme_id"


def _everywhere(row: str) -> str:
    return str(ALL)


# Every table the report reads (evaluation/tests/test_report_cache.py captures a report's SQL and compares),
# with the programme a row of it belongs to, as SQL over the trigger's row (NEW or OLD). A
# response or answer outside a meeting belongs to whichever programmes its person is in: all.
WATCHED = {
    "costs_costentry": _programme,
    "costs_hourlyrate": _programme,
    "instruments_answer": lambda row: _response(f"{row}.response_id"),
    "instruments_answer_choices": lambda row: _answer(f"{row}.answer_id"),
    "instruments_instrument": _everywhere,
    "instruments_instrumentversion": _everywhere,
    "instruments_item": _everywhere,
    "instruments_option": _everywhere,
    "instruments_response": lambda row: _meeting(f"{row}.meeting_id"),
    "instruments_scoringrule": _everywhere,
    "instruments_subscale": _everywhere,
    "measurement_planentry": _programme,
    "meetings_attendance": lambda row: _meeting(f"{row}.meeting_id"),
    "organisations_membership": _everywhere,
    "organisations_organisation": _everywhere,
    "people_consent": _everywhere,
    "people_household": _everywhere,
    "people_householdmember": _everywhere,
    "people_participant": _everywhere,
    "programmes_adoption": _programme,
    "programmes_deliveryunit": _programme,
    "programmes_meeting": lambda row: _unit(f"{row}.unit_id"),
    "programmes_meeting_facilitators_present": lambda row: _meeting(f"{row}.meeting_id"),
    "programmes_partnership": _programme,
    "programmes_programme": lambda row: f"{row}.id",
    "programmes_site": _programme,
    "programmes_targetsegment": _programme,
    "programmes_unitfacilitator": lambda row: _unit(f"{row}.unit_id"),
    "recruitment_enrolment": _programme,
}

# Tables a report's SQL names whose rows cannot change what it shows, and why.
NOT_WATCHED = {
    "accounts_user": "joined by its id only; a deleted user's rows leave watched tables, whose triggers run",
    "pilotti_cache": "the cache itself",
    # Shared reports that left (releases.py): a report already shown stays what it was, and every
    # later one is protected together with it, so a new release need not change a remembered one.
    "evaluation_sharedrelease": "what left before; a remembered report was itself recorded when shown",
    TABLE: "the version itself",
}


def _insert(table: str, row: str) -> str:
    return f"INSERT INTO {TABLE} (programme_key) VALUES (COALESCE({WATCHED[table](row)}, {ALL}));\n"  # noqa: S608


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {TABLE}_{table}_insert AFTER INSERT ON {table} BEGIN\n{_insert(table, 'NEW')}END",
        f"CREATE TRIGGER {TABLE}_{table}_delete AFTER DELETE ON {table} BEGIN\n{_insert(table, 'OLD')}END",
        # Both rows: an update can move a row from one programme to another.
        f"CREATE TRIGGER {TABLE}_{table}_update AFTER UPDATE ON {table} BEGIN\n"
        f"{_insert(table, 'OLD')}{_insert(table, 'NEW')}END",
    ]


def _postgresql_triggers(table: str) -> list[str]:
    return [
        f"CREATE FUNCTION {TABLE}_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN\n{_insert(table, 'OLD')}END IF;\n"
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN\n{_insert(table, 'NEW')}END IF;\n"
        "RETURN NULL;\nEND\n$$",
        f"CREATE TRIGGER {TABLE}_{table} AFTER INSERT OR DELETE OR UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_{table}()",
    ]


def create_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The triggers of every watched table that exists. A migration that adds a table the report
    reads calls ``drop_triggers`` and this again; test_report_cache.py fails until one does."""
    make = {"sqlite": _sqlite_triggers, "postgresql": _postgresql_triggers}[schema_editor.connection.vendor]
    existing = set(schema_editor.connection.introspection.table_names())
    for table in WATCHED.keys() & existing:
        for statement in make(table):
            schema_editor.execute(statement, params=None)


def drop_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Drops the triggers of every table ever watched, so a migration can create the new list."""
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table in schema_editor.connection.introspection.table_names():
        if postgresql:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{table} ON {table}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_{table}()", params=None)
            continue
        for name in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{table}_{name}", params=None)


def version(programme_id: int) -> tuple[int, int]:
    """The programme's data version: its newest change and the newest change for all programmes.
    Two index lookups (the table's index on programme key and id), however long the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {TABLE} WHERE programme_key = %s), "  # noqa: S608
            f"(SELECT MAX(id) FROM {TABLE} WHERE programme_key = %s)",
            [programme_id, ALL],
        )
        mine, everyone = cursor.fetchone()
    return (mine or 0, everyone or 0)


def prune() -> int:
    """Deletes every change row but the newest of its programme: the versions stay as they were.
    Returns how many rows went."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE id < (SELECT MAX(newer.id) FROM {TABLE} newer "  # noqa: S608
            f"WHERE newer.programme_key = {TABLE}.programme_key)"
        )
        deleted: int = cursor.rowcount
        return deleted
