"""The report's floor: hand-written SQL computing the programme report's figures directly.

The same figures as ``evaluation.selectors.report(None, programme)`` — the funnel per segment
and per referral source, the CONSORT flow, attendance per meeting and per participant, the
answered versions, feedback per item (n, mean, Σx², min, max, distributions, chosen options,
free text), the first and last score per person and instrument, and the per-unit comparison —
with the same scope and the same consent rule, in one round trip per figure and no ORM. What it
leaves out is what no SQL can do: the Python statistics (confidence intervals, paired tests),
the arranging into the report's structure, and its JSON. ``same_figures`` checks the two agree.
"""

# Constant SQL: the only value, the programme id, is a bound parameter.
# ruff: noqa: S608

from collections.abc import Mapping
from typing import Any

from django.db import connection

STAGES = ("waiting", "declined", "not_reached", "dropped_out")


def _answered_on() -> str:
    if connection.vendor == "postgresql":
        return "(r.submitted_at AT TIME ZONE 'Europe/Helsinki')::date"
    return "django_datetime_cast_date(r.submitted_at, 'Europe/Helsinki', 'UTC')"


SCOPE = "bench_consented"


def _scope_sql() -> str:
    """The consented responses of the programme (the parameter ``p``: the programme id)."""
    return f"""
    WITH units AS (SELECT id FROM programmes_deliveryunit WHERE programme_id = %(p)s),
    people AS (
        SELECT participant_id FROM recruitment_enrolment
        WHERE programme_id = %(p)s AND participant_id IS NOT NULL
        UNION
        SELECT hm.participant_id FROM people_householdmember hm
        JOIN recruitment_enrolment e ON e.household_id = hm.household_id
        WHERE e.programme_id = %(p)s AND hm.participant_id IS NOT NULL
    ),
    answered AS (
        SELECT r.id, r.version_id, r.participant_id, r.meeting_id, r.total, r.subscale_scores, r.submitted_at,
               {_answered_on()} AS answered_on
        FROM instruments_response r
        LEFT JOIN programmes_meeting m ON m.id = r.meeting_id
        WHERE r.submitted_at IS NOT NULL
          AND (m.unit_id IN (SELECT id FROM units)
               OR (r.meeting_id IS NULL AND r.participant_id IN (SELECT participant_id FROM people)))
    )
    SELECT * FROM answered r
    WHERE r.participant_id IS NULL OR EXISTS (
        SELECT 1 FROM people_consent c
        WHERE c.participant_id = r.participant_id AND c.purpose = 'evaluation'
          AND c.given_on <= r.answered_on AND (c.withdrawn_on IS NULL OR c.withdrawn_on > r.answered_on)
    )
    """


def _counts(group: str) -> str:
    now = ", ".join(f"SUM(CASE WHEN stage = '{stage}' THEN 1 ELSE 0 END)" for stage in STAGES)
    return f"""
    SELECT {group}, COUNT(*), COUNT(interested_on), COUNT(enrolled_on), COUNT(started_on), COUNT(completed_on), {now}
    FROM recruitment_enrolment WHERE programme_id = %(p)s GROUP BY {group} ORDER BY {group}
    """


QUERIES = {
    "segments": _counts("segment"),
    "sources": _counts("referral_source"),
    "flow": """
    SELECT CASE WHEN started_on IS NOT NULL THEN 'started' WHEN enrolled_on IS NOT NULL THEN 'enrolled'
                ELSE 'contacted' END AS step, stage, end_reason, COUNT(*)
    FROM recruitment_enrolment WHERE programme_id = %(p)s AND stage <> 'completed'
    GROUP BY 1, stage, end_reason ORDER BY 1, stage, end_reason
    """,
    "meetings": """
    SELECT m.id, m.unit_id, u.name, m.starts_at,
           ROW_NUMBER() OVER (PARTITION BY m.unit_id ORDER BY m.starts_at, m.id) AS number,
           COUNT(a.id) FILTER (WHERE a.status = 'present'),
           COUNT(a.id) FILTER (WHERE a.status = 'absent'),
           COUNT(a.id) FILTER (WHERE a.status = 'excused'),
           m.unregistered_visitors
    FROM programmes_meeting m
    JOIN programmes_deliveryunit u ON u.id = m.unit_id
    LEFT JOIN meetings_attendance a ON a.meeting_id = m.id
    WHERE u.programme_id = %(p)s AND m.status = 'held'
    GROUP BY m.id, m.unit_id, u.name, m.starts_at, m.unregistered_visitors
    ORDER BY u.name, m.starts_at, m.id
    """,
    "participants": """
    SELECT a.participant_id, p.code, m.unit_id, u.name,
           COUNT(a.id) FILTER (WHERE a.status = 'present'), COUNT(a.id),
           MAX(CASE WHEN a.status = 'present' THEN m.id END),
           EXISTS (SELECT 1 FROM recruitment_enrolment e WHERE e.programme_id = %(p)s
                   AND e.stage = 'dropped_out' AND e.participant_id = a.participant_id)
    FROM meetings_attendance a
    JOIN programmes_meeting m ON m.id = a.meeting_id
    JOIN programmes_deliveryunit u ON u.id = m.unit_id
    JOIN people_participant p ON p.id = a.participant_id
    WHERE u.programme_id = %(p)s AND m.status = 'held' AND a.participant_id IS NOT NULL
    GROUP BY a.participant_id, p.code, m.unit_id, u.name
    ORDER BY u.name, p.code
    """,
    "versions": """
    SELECT r.version_id, i.key, COUNT(*), COUNT(r.meeting_id), COUNT(DISTINCT r.participant_id),
           COUNT(*) - COUNT(r.participant_id)
    FROM bench_consented r
    JOIN instruments_instrumentversion v ON v.id = r.version_id
    JOIN instruments_instrument i ON i.id = v.instrument_id
    GROUP BY r.version_id, i.key ORDER BY i.key
    """,
    "items": """
    SELECT a.item_id, COUNT(a.id), AVG(a.value), SUM(a.value * a.value), MIN(a.value), MAX(a.value)
    FROM instruments_answer a JOIN bench_consented r ON r.id = a.response_id
    GROUP BY a.item_id
    """,
    "distributions": """
    SELECT a.item_id, a.value, COUNT(*)
    FROM instruments_answer a JOIN bench_consented r ON r.id = a.response_id
    JOIN instruments_item i ON i.id = a.item_id
    WHERE i.type IN ('single_choice', 'scale') AND a.value IS NOT NULL
    GROUP BY a.item_id, a.value
    """,
    "choices": """
    SELECT a.item_id, o.value, COUNT(DISTINCT a.id)
    FROM instruments_answer a JOIN bench_consented r ON r.id = a.response_id
    JOIN instruments_answer_choices ac ON ac.answer_id = a.id
    JOIN instruments_option o ON o.id = ac.option_id
    GROUP BY a.item_id, o.value
    """,
    "texts": """
    SELECT a.item_id, a.text, r.submitted_at, u.name
    FROM instruments_answer a JOIN bench_consented r ON r.id = a.response_id
    JOIN instruments_item i ON i.id = a.item_id
    LEFT JOIN programmes_meeting m ON m.id = r.meeting_id
    LEFT JOIN programmes_deliveryunit u ON u.id = m.unit_id
    WHERE i.type = 'free_text' AND a.text <> ''
    ORDER BY a.item_id, r.submitted_at, a.id
    """,
    "before_after": """
    WITH ranked AS (
        SELECT r.participant_id, v.instrument_id, r.total, r.subscale_scores,
               ROW_NUMBER() OVER (PARTITION BY r.participant_id, v.instrument_id
                                  ORDER BY r.submitted_at, r.id) AS first,
               ROW_NUMBER() OVER (PARTITION BY r.participant_id, v.instrument_id
                                  ORDER BY r.submitted_at DESC, r.id DESC) AS last,
               COUNT(*) OVER (PARTITION BY r.participant_id, v.instrument_id) AS n
        FROM bench_consented r JOIN instruments_instrumentversion v ON v.id = r.version_id
        WHERE r.participant_id IS NOT NULL AND r.meeting_id IS NULL
    )
    SELECT participant_id, instrument_id, first, total, subscale_scores, n,
           participant_id IN (SELECT participant_id FROM recruitment_enrolment
                              WHERE programme_id = %(p)s AND completed_on IS NOT NULL AND participant_id IS NOT NULL)
           OR participant_id IN (SELECT hm.participant_id FROM people_householdmember hm
                                 JOIN recruitment_enrolment e ON e.household_id = hm.household_id
                                 WHERE e.programme_id = %(p)s AND e.completed_on IS NOT NULL)
    FROM ranked WHERE (first = 1 OR last = 1) AND n >= 2
    """,
    "units": """
    SELECT u.id, u.name, u.organisation_id, u.site_id,
      (SELECT COUNT(*) FROM recruitment_enrolment e WHERE e.unit_id = u.id AND e.enrolled_on IS NOT NULL),
      (SELECT COUNT(*) FROM recruitment_enrolment e WHERE e.unit_id = u.id AND e.started_on IS NOT NULL),
      (SELECT COUNT(*) FROM recruitment_enrolment e WHERE e.unit_id = u.id AND e.completed_on IS NOT NULL),
      (SELECT COUNT(*) FROM programmes_meeting m WHERE m.unit_id = u.id AND m.status = 'held'),
      (SELECT COUNT(*) FROM meetings_attendance a JOIN programmes_meeting m ON m.id = a.meeting_id
       WHERE m.unit_id = u.id AND m.status = 'held' AND a.status = 'present'),
      (SELECT COUNT(*) FROM meetings_attendance a JOIN programmes_meeting m ON m.id = a.meeting_id
       WHERE m.unit_id = u.id AND m.status = 'held')
    FROM programmes_deliveryunit u WHERE u.programme_id = %(p)s ORDER BY u.organisation_id, u.name
    """,
    "ratings": """
    SELECT m.unit_id, i.key, COUNT(*), SUM(r.total), SUM(r.total * r.total)
    FROM bench_consented r
    JOIN programmes_meeting m ON m.id = r.meeting_id
    JOIN instruments_instrumentversion v ON v.id = r.version_id
    JOIN instruments_instrument i ON i.id = v.instrument_id
    WHERE r.total IS NOT NULL
    GROUP BY m.unit_id, i.key
    """,
}


def figures(programme_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Runs every query for the programme; rows as the database gives them."""
    result = {}
    with connection.cursor() as cursor:
        # The answers in scope are selected once, into a temporary table the other queries join.
        cursor.execute(f"DROP TABLE IF EXISTS {SCOPE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {SCOPE} AS {_scope_sql()}", {"p": programme_id})
        cursor.execute(f"CREATE INDEX {SCOPE}_id ON {SCOPE} (id)")
        try:
            for name, sql in QUERIES.items():
                cursor.execute(sql, {"p": programme_id})
                result[name] = cursor.fetchall()
        finally:
            cursor.execute(f"DROP TABLE {SCOPE}")
    return result


def same_figures(report: Mapping[str, Any], floor: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """Headline figures that must agree; an empty list when they all do."""
    problems = []
    total = report["recruitment"]["total"]
    sums = [sum(int(row[i] or 0) for row in floor["segments"]) for i in range(1, 6)]
    for name, value in zip(("contacted", "interested", "enrolled", "started", "completed"), sums, strict=True):
        if total[name] != value:
            problems.append(f"funnel {name}: report {total[name]}, SQL {value}")
    summary = report["attendance"]["summary"]
    checks = {
        "meetings held": (summary["meetings_held"], len(floor["meetings"])),
        "attended": (summary["attended"], sum(row[5] for row in floor["meetings"])),
        "participants in roll calls": (len(report["attendance"]["participants"]), len(floor["participants"])),
        "units compared": (len(report["comparison"]["units"]), len(floor["units"])),
        "present in comparison": (
            sum(u["present"] for u in report["comparison"]["units"]),
            sum(row[8] for row in floor["units"]),
        ),
    }
    answered = {row[1]: row[2] for row in floor["versions"]}
    for section in ("feedback", "before_after"):
        for version in report[section]:
            checks[f"answers to {version['instrument']}"] = (version["responses"], answered.get(version["instrument"]))
    for name, (ours, theirs) in checks.items():
        if ours != theirs:
            problems.append(f"{name}: report {ours}, SQL {theirs}")
    return problems
