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

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

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


def _via(table: str, column: str) -> Callable[[str], str]:
    """The programme of the row of ``table`` that the trigger's row points to by ``column``."""
    return lambda row: f"(SELECT programme_id FROM {table} WHERE id = {row}.{column})"  # noqa: S608


def _programme(row: str) -> str:
    return f"{row}.programme_id"


def _everywhere(row: str) -> str:
    return str(ALL)


# Every table the report reads (evaluation/tests/test_report_cache.py captures a report's SQL and compares),
# with the programme a row of it belongs to, as SQL over the trigger's row (NEW or OLD). A
# response or answer outside a meeting belongs to whichever programmes its person is in: all.
WATCHED: dict[str, Callable[[str], str]] = {
    "costs_costentry": _programme,
    "council_councilitem": lambda row: _meeting(f"{row}.meeting_id"),
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
    "interviews_excerpt": _programme,
    "interviews_excerpt_themes": _via("interviews_excerpt", "excerpt_id"),
    "interviews_interview": _programme,
    "interviews_interviewee": _via("interviews_interview", "interview_id"),
    "interviews_theme": _programme,
    "measurement_invitation": _via("measurement_planentry", "entry_id"),
    "measurement_invitationmessage": lambda row: (
        "(SELECT e.programme_id FROM measurement_invitation i JOIN measurement_planentry e ON e.id = i.entry_id "  # noqa: S608
        f"WHERE i.id = {row}.invitation_id)"
    ),
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
    "serviceuse_service": _programme,
    "serviceuse_serviceuse": _via("serviceuse_service", "service_id"),
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


def _execute(database: BaseDatabaseWrapper, statements: list[str]) -> None:
    with database.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_triggers(database: BaseDatabaseWrapper, tables: Iterable[str] | None = None) -> None:
    """The triggers of every watched table that exists (or of ``tables``). Made by the migration
    that made the table and again after every migration run (``after_migrate``)."""
    make = {"sqlite": _sqlite_triggers, "postgresql": _postgresql_triggers}[database.vendor]
    existing = set(database.introspection.table_names())
    chosen = WATCHED.keys() if tables is None else set(tables)
    _execute(database, [statement for table in sorted(chosen & existing) for statement in make(table)])


def drop_triggers(database: BaseDatabaseWrapper) -> None:
    """Drops the triggers of every table, watched now or before."""
    statements = []
    for table in triggered(database):
        if database.vendor == "postgresql":
            statements += [f"DROP TRIGGER {TABLE}_{table} ON {table}", f"DROP FUNCTION {TABLE}_{table}()"]
        else:
            statements += [f"DROP TRIGGER {TABLE}_{table}_{name}" for name in ("insert", "delete", "update")]
    _execute(database, statements)


def triggered(database: BaseDatabaseWrapper) -> set[str]:
    """The tables that have this module's triggers."""
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s",
                [f"{TABLE}_%"],
            )
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TABLE}_%"])
        return {row[0] for row in cursor.fetchall()}


def after_migrate(using: str, plan: Any = None, **kwargs: Any) -> None:
    """Every migration run ends with the triggers of the list above, made anew: a table added to
    the list gets its triggers, a changed rule takes effect, and a table that SQLite rebuilt to
    alter it (which drops its triggers) gets them back. After a flush (``plan`` None: tests
    emptying the database) only a missing table's triggers are made, which costs one query."""
    database = connections[using]
    if plan is None:
        missing = WATCHED.keys() - triggered(database)
        if missing:
            create_triggers(database, missing)
        return
    drop_triggers(database)
    if TABLE in database.introspection.table_names():  # not when migrated back before the table
        create_triggers(database)


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
