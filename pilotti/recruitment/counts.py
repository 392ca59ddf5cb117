"""The funnel's counts table (``FunnelCount``), kept exact by triggers on the enrolment table.

A trigger, not application code: enrolments are written by services, imports, the correction
and undo of steps, erasure, cascades and the benchmark generator's bulk inserts, and a row count
kept by each of them would drift the first time one forgot. The database runs the trigger in the
statement that changes the enrolment, inside its transaction, so the counts are never stale and a
rolled-back write leaves them as they were.

Each enrolment counts in two groups: its unit's and its organisation's for all units. Each
trigger subtracts the old row from its groups and adds the new row to its groups (an upsert); a
group whose last enrolment leaves is deleted. ``recount`` rebuilds the table from the enrolments
and ``differences`` compares the two (``manage.py check_funnel_counts``); the tests write through
every path and compare.
"""

from typing import Any

from django.db import connection, connections, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "recruitment_funnelcount"
# The unit first after the programme: a programme's organisation-wide rows (ALL_UNITS) and a few
# units' rows are each one range of the unique index, however many units the programme has.
KEY = ("programme_key", "unit_key", "organisation_key", "segment", "stage")
STEPS = ("interested", "enrolled", "started", "completed")
# Each enrolment is counted twice: in its unit's row (0: not in a unit) and in its organisation's
# row for all its units (ALL_UNITS). A national programme has thousands of units, so summing the
# unit rows would again grow with the programme; the organisation rows do not.
ALL_UNITS = -1
# The enrolment columns whose change moves a row between groups or steps: an update of anything
# else (a reason, a referral source) does not run the trigger.
WATCHED = ("programme_id", "organisation_id", "unit_id", "segment", "stage", *(f"{step}_on" for step in STEPS))


def _key_columns(row: str, unit: str) -> tuple[str, ...]:
    """The enrolment's group, in the order of ``KEY``: its values as the counts table stores them."""
    return (f"{row}.programme_id", unit, f"{row}.organisation_id", f"{row}.segment", f"{row}.stage")


def _units(row: str) -> tuple[str, str]:
    """The two rows an enrolment counts in: its unit's and its organisation's for all units."""
    return (f"COALESCE({row}.unit_id, 0)", str(ALL_UNITS))


def _key_match(row: str, unit: str) -> str:
    return " AND ".join(f"{column} = {value}" for column, value in zip(KEY, _key_columns(row, unit), strict=True))


def _reached(row: str, step: str) -> str:
    return f"(CASE WHEN {row}.{step}_on IS NULL THEN 0 ELSE 1 END)"


def _subtract(row: str) -> str:
    steps = ", ".join(f"{step} = {step} - {_reached(row, step)}" for step in STEPS)
    return "".join(
        f"UPDATE {TABLE} SET contacted = contacted - 1, {steps} WHERE {_key_match(row, unit)};\n"  # noqa: S608 - SQL of this module's constants
        f"DELETE FROM {TABLE} WHERE {_key_match(row, unit)} AND contacted = 0;\n"
        for unit in _units(row)
    )


def _add(row: str) -> str:
    columns = ", ".join((*KEY, "contacted", *STEPS))
    steps = ", ".join(f"{step} = {TABLE}.{step} + excluded.{step}" for step in STEPS)
    return "".join(
        f"INSERT INTO {TABLE} ({columns}) "  # noqa: S608 - SQL of this module's constants
        f"VALUES ({', '.join((*_key_columns(row, unit), '1', *(_reached(row, step) for step in STEPS)))})\n"
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET contacted = {TABLE}.contacted + 1, {steps};\n"
        for unit in _units(row)
    )


def _sqlite_triggers() -> list[str]:
    watched = ", ".join(WATCHED)
    return [
        f"CREATE TRIGGER funnel_count_insert AFTER INSERT ON recruitment_enrolment BEGIN\n{_add('NEW')}END",
        f"CREATE TRIGGER funnel_count_delete AFTER DELETE ON recruitment_enrolment BEGIN\n{_subtract('OLD')}END",
        f"CREATE TRIGGER funnel_count_update AFTER UPDATE OF {watched} ON recruitment_enrolment BEGIN\n"
        f"{_subtract('OLD')}{_add('NEW')}END",
    ]


def _postgresql_triggers() -> list[str]:
    watched = ", ".join(WATCHED)
    return [
        "CREATE FUNCTION funnel_count() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN\n{_subtract('OLD')}END IF;\n"
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN\n{_add('NEW')}END IF;\n"
        "RETURN NULL;\nEND\n$$",
        "CREATE TRIGGER funnel_count AFTER INSERT OR DELETE OR UPDATE OF "
        f"{watched} ON recruitment_enrolment FOR EACH ROW EXECUTE FUNCTION funnel_count()",
    ]


def create_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite_triggers, "postgresql": _postgresql_triggers}[vendor]()
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS funnel_count ON recruitment_enrolment", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS funnel_count()", params=None)
        return
    for name in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS funnel_count_{name}", params=None)


def after_migrate(using: str, plan: Any = None, **kwargs: Any) -> None:
    """After every migration run, the triggers made anew: SQLite alters a table by rebuilding it,
    which drops its triggers, and the counts would then drift with no error. The rebuild copies
    the rows, so the counts held while the triggers were away. A flush (``plan`` None) changes no
    table."""
    if plan is None:
        return
    with connections[using].schema_editor() as editor:
        drop_triggers(editor)
        create_triggers(editor)


def _counted_sql() -> str:
    steps = ", ".join(f"COUNT({step}_on)" for step in STEPS)
    by_unit, all_units = "COALESCE(unit_id, 0)", str(ALL_UNITS)
    return (
        f"SELECT programme_id, {by_unit}, organisation_id, segment, stage, COUNT(*), {steps} "  # noqa: S608 - SQL of this module's constants
        f"FROM recruitment_enrolment GROUP BY programme_id, {by_unit}, organisation_id, segment, stage "
        f"UNION ALL SELECT programme_id, {all_units}, organisation_id, segment, stage, COUNT(*), {steps} "
        "FROM recruitment_enrolment GROUP BY programme_id, organisation_id, segment, stage"
    )


def _recount_sql() -> str:
    return f"INSERT INTO {TABLE} ({', '.join((*KEY, 'contacted', *STEPS))}) {_counted_sql()}"


def recount() -> None:
    """Rebuilds the whole table from the enrolments (after a migration, or to repair)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - SQL of this module's constants
        cursor.execute(_recount_sql())


def recount_with(schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(_recount_sql(), params=None)


Row = tuple[int, int, int, str, str, int, int, int, int, int]


def differences() -> list[tuple[Row | None, Row | None]]:
    """(kept, recounted) for every group where the table and a full recount disagree."""
    columns = ", ".join((*KEY, "contacted", *STEPS))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {TABLE}")  # noqa: S608 - SQL of this module's constants
        kept: dict[tuple[object, ...], Row] = {tuple(row[:5]): tuple(row) for row in cursor.fetchall()}
        cursor.execute(_counted_sql())
        recounted: dict[tuple[object, ...], Row] = {tuple(row[:5]): tuple(row) for row in cursor.fetchall()}
    return [
        (kept.get(key), recounted.get(key))
        for key in sorted(kept.keys() | recounted.keys(), key=repr)
        if kept.get(key) != recounted.get(key)
    ]
