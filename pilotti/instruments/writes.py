"""A response and its answers written in as few round trips as the database allows.

The client panel of a full room stores an answer per person within a minute, and each answer
was a transaction of four round trips on PostgreSQL (BEGIN, the response, its answer, COMMIT),
each 0.3–0.7 ms while the database shares the machine (docs/benchmarks.md). Here:

- **PostgreSQL**: one statement, so no transaction around it: the response inserted in a
  data-modifying ``WITH`` and its answers inserted from it (``(SELECT id FROM new_response)``).
  A statement is atomic, so either both are stored or neither; it is prepared on persistent
  connections (pilotti.core.prepared).
- **Elsewhere (SQLite)**: one transaction of two inserts, the answers in one ``INSERT`` of many rows.

The response's insert is Django's own (``InsertQuery``: defaults, ``auto_now_add``, JSON and
time zones as ``Model.save`` does them); only the statement around it is written here. Chosen
options of multiple-choice answers are rows of their own and go through the ORM
(``services.response_record``).
"""

import functools
from typing import Any

from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field
from django.db.models.sql import InsertQuery

from pilotti.core import prepared
from pilotti.instruments.models import Answer, Response


def response_insert(response: Response, answers: list[Answer]) -> None:
    """Inserts ``response`` (unsaved) and its ``answers`` (unsaved, without their response);
    sets the response's primary key."""
    using = router.db_for_write(Response)
    connection = connections[using]
    insert, params = _response_insert_sql(response, using)
    if connection.vendor == "postgresql":
        if answers:
            values, answer_params = _answers_values(answers, connection, "(SELECT id FROM new_response)")
            quote = connection.ops.quote_name
            insert = (
                f"WITH new_response AS ({insert}) "  # noqa: S608 - Django's SQL and model names, values bound
                f"INSERT INTO {quote(Answer._meta.db_table)} ({_answer_columns(connection)}) VALUES {values} "
                f"RETURNING {quote(Answer._meta.get_field('response').column)}"
            )
            params = [*params, *answer_params]
        with prepared.cursor(connection) as cursor:
            cursor.execute(insert, params)
            response_id = cursor.fetchone()[0]
    else:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(insert, params)
            response_id = cursor.fetchone()[0]
            if answers:
                values, answer_params = _answers_values(answers, connection, "%s", response_id)
                quote = connection.ops.quote_name
                cursor.execute(
                    f"INSERT INTO {quote(Answer._meta.db_table)} ({_answer_columns(connection)}) VALUES {values}",  # noqa: S608
                    answer_params,
                )
    response.pk = response_id
    response._state.adding = False
    response._state.db = using


def _response_insert_sql(response: Response, using: str) -> tuple[str, list[Any]]:
    """``Model.save``'s insert of the response, returning its id: the statement as Django's
    compiler writes it (made once per database: compiling it cost more than running it), the
    values as the compiler prepares them (``pre_save``: ``auto_now_add``; ``get_db_prep_save``)."""
    connection = connections[using]
    return _response_insert_statement(using), [
        field.get_db_prep_save(field.pre_save(response, True), connection) for field in _response_fields()
    ]


@functools.cache
def _response_fields() -> list[Field[object, object]]:
    meta = Response._meta
    return [field for field in meta.local_concrete_fields if field is not meta.auto_field and not field.generated]


@functools.cache
def _response_insert_statement(using: str) -> str:
    query = InsertQuery(Response)
    query.insert_values(_response_fields(), [Response(organisation_id=0, version_id=0)])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [Response._meta.pk]
    [(sql, params)] = compiler.as_sql()
    if sql.count("%s") != len(params) or len(params) != len(_response_fields()):  # one plain placeholder a field
        raise RuntimeError(f"unexpected insert of a response: {sql}")
    return str(sql)


@functools.cache
def _answer_fields() -> list[Field[object, object]]:
    return [field for field in Answer._meta.local_concrete_fields if not field.primary_key]


def _answer_columns(connection: BaseDatabaseWrapper) -> str:
    return ", ".join(connection.ops.quote_name(field.column) for field in _answer_fields())


def _answers_values(
    answers: list[Answer], connection: BaseDatabaseWrapper, response_placeholder: str, response_id: object = None
) -> tuple[str, list[Any]]:
    """The VALUES rows of the answers, the response's id written as ``response_placeholder``."""
    rows, params = [], []
    for answer in answers:
        placeholders = []
        for field in _answer_fields():
            if field.name == "response":
                placeholders.append(response_placeholder)
                if response_placeholder == "%s":
                    params.append(response_id)
                continue
            placeholders.append("%s")
            params.append(field.get_db_prep_save(field.pre_save(answer, True), connection))
        rows.append(f"({', '.join(placeholders)})")
    return ", ".join(rows), params
