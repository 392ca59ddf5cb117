"""Person-level data exports of a programme: the answers in long format, a wide table with one
row per response, and a codebook; as CSV, XLSX, SPSS ``.sav`` and Stata ``.dta``.

The rows come from the report's own scope (``selectors.scope``), so an export covers exactly
the answers the internal report counts: the user's units, the period, and only answers whose
evaluation consent held on the day they were given (``selectors.consented_responses``).
Anonymous client-panel answers are included without a person code. People appear under their
pseudonymous code only; contact details are never read.

Nine queries whatever the size: responses, answers, chosen options, versions with their scoring
rules, items, options, and for the workbook the held meetings, the roll call and the funnel.
docs/evaluation.md, section "Exports", describes the files and their formats.
"""

import hashlib
import io
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
from django.conf import settings
from django.db.models import OuterRef
from django.db.models.functions import TruncDate
from django.utils import translation
from openpyxl import Workbook

from pilotti.core.spreadsheets import csv_bytes, write_table
from pilotti.core.zone import HELSINKI
from pilotti.evaluation import selectors
from pilotti.evaluation.report.scope import Scope, in_period
from pilotti.instruments.models import DIRECTIONS, METHODS, MISSING_RULES, Answer, InstrumentVersion, Item, Option
from pilotti.instruments.spec import ItemType, Method, text_in
from pilotti.meetings.models import Attendance, Meeting
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Participant
from pilotti.people.selectors import consent_holds_on
from pilotti.programmes.models import Programme

FORMATS = ("csv", "csv-fi", "xlsx", "sav", "dta", "codebook")
# Stata allows 32 characters in a name (SPSS 64), but pyreadstat names a variable's value-label
# set after it plus a counter, which must fit in 32 too: 28 leaves room for 9,999 labelled
# variables. One mapping serves both formats.
MAX_NAME = 28
# The formats' own limits on labels, applied only to the file that has them: Stata's variable
# labels hold 80 characters; SPSS's variable labels 256 bytes and value labels 120 bytes (longer
# ones are cut by the writer, possibly inside a character). Longer Stata strings are strL.
MAX_STATA_LABEL = 80
MAX_SPSS_LABEL_BYTES = 256
MAX_SPSS_VALUE_LABEL_BYTES = 120
# Measurement levels (SPSS's "Measure"; PSPP and SPSS treat "unknown" as nominal, and SPSS asks
# the user to scan the data before any procedure that needs a level).
NOMINAL, ORDINAL, SCALE = "nominal", "ordinal", "scale"
STATA_EPOCH = date(1960, 1, 1)  # Stata's %td counts days from here
NUMERIC_TYPES = (*ItemType.NUMERIC,)
# The 0/1 columns of a multiple-choice item, labelled in the language of the item's wording.
CHOSEN = {
    "fi": {0: "ei valittu", 1: "valittu"},
    "sv": {0: "inte vald", 1: "vald"},
    "en": {0: "not chosen", 1: "chosen"},
}


def label_language() -> str:
    """The labels in the files speak the requester's language (a file is made under the language of
    whoever asked for it, evaluation.files), or English where an instrument has no wording in it;
    the variable names are the same whatever the language."""
    return translation.get_language() or settings.LANGUAGE_CODE


LONG_COLUMNS = [
    "response",
    "participant_code",
    "unit",
    "instrument",
    "version",
    "mode",
    "answered_on",
    "item",
    "item_type",
    "value",
    "value_label",
    "text",
    "total",
    "band",
]
# The workbook's person-level service data: the roll call and the recruitment funnel.
ATTENDANCE_COLUMNS = ["participant_code", "unit", "meeting_number", "meeting_date", "status"]
FUNNEL_COLUMNS = [
    "enrolment",
    "participant_code",
    "unit",
    "segment",
    "referral_source",
    "stage",
    "contacted_on",
    "interested_on",
    "waitlisted_on",
    "enrolled_on",
    "started_on",
    "completed_on",
    "ended_on",
]
CODEBOOK_COLUMNS = [
    "name",
    "source",
    "label",
    "type",
    "level",
    "values",
    "instrument",
    "version",
    "item_type",
    "scoring",
]


@dataclass
class Variable:
    """A column of the wide table and a row of the codebook."""

    name: str  # in the file: ASCII, at most 32 characters, unique
    source: str  # what it is in Pilotti, e.g. who-5 v1 q3
    label: str
    kind: str  # numeric | string | date
    level: str  # nominal | ordinal | scale
    values: dict[int, str] = field(default_factory=dict)
    instrument: str = ""
    version: int | None = None
    item_type: str = ""
    scoring: str = ""


@dataclass
class DataSet:
    programme: Programme
    variables: list[Variable]
    wide: list[dict[str, Any]]  # one row per response, keyed by variable name
    long: list[dict[str, Any]]  # one row per answer (per chosen option for multiple choice)
    participants: list[Participant]  # everyone with a row, for the access log
    attendance: list[dict[str, Any]] = field(default_factory=list)  # one row per person per held meeting
    funnel: list[dict[str, Any]] = field(default_factory=list)  # one row per enrolment


# --- Variable names ------------------------------------------------------------------------


def _ascii_name(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_]+", "_", ascii_text.lower()).strip("_")


def variable_name(source: str, taken: set[str]) -> str:
    """A Stata- and SPSS-safe name for ``source`` (``<instrument> v<version> <item>[ <value>]``):
    ASCII letters, digits and underscores, starting with a letter, at most 28 characters.

    The scheme, in docs/evaluation.md: the whole source when it fits (``who_5_v1_q3``); too long,
    the instrument's key is cut so that the version and the item stay whole
    (``rating_paivatoiminta_v1_rating``); only when that is still too long, or the cut name is
    already taken by another source, its first and last ten characters and six hex digits of the
    source's SHA-1. The same sources in the same order always get the same names."""
    name = _ascii_name(source) or "v"
    if not name[0].isalpha():
        name = f"v_{name}"
    if len(name) > MAX_NAME:
        head, _space, tail = source.partition(" ")
        head_name, tail_name = _ascii_name(head), _ascii_name(tail)
        room = MAX_NAME - len(tail_name) - 1
        if tail_name and room >= 4 and head_name[:1].isalpha():
            name = f"{head_name[:room].rstrip('_')}_{tail_name}"
    if len(name) > MAX_NAME or name in taken:
        digest = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()[:6]
        full = _ascii_name(source) or "v"
        full = full if full[0].isalpha() else f"v_{full}"
        # Both ends stay readable: the instrument's key starts a name, the item's key ends it.
        name = f"{full[:10].rstrip('_')}_{full[-10:].strip('_')}_{digest}"
    stem, number = name, 1
    while name in taken:  # a clash of hashes: deterministic too, as sources are visited in order
        suffix = f"_{number}"
        name, number = f"{stem[: MAX_NAME - len(suffix)]}{suffix}", number + 1
    taken.add(name)
    return name


# --- Reading -------------------------------------------------------------------------------


def _whole(value: float | None) -> int | None:
    return int(value) if value is not None and float(value).is_integer() else None


def _scoring(version: Mapping[str, Any]) -> str:
    method = version["scoring__method"]
    if not method:
        return ""
    parts = [str(dict(METHODS)[method])]
    if version["scoring__multiplier"]:
        parts.append(f"× {version['scoring__multiplier']}")
    parts.append(str(dict(MISSING_RULES)[version["scoring__missing_rule"]]))
    if version["scoring__max_missing"]:
        parts.append(f"max missing {version['scoring__max_missing']}")
    parts.append(str(dict(DIRECTIONS)[version["scoring__direction"]]))
    if version["scoring__notes"]:
        parts.append(version["scoring__notes"])
    return "; ".join(parts)


def _fixed_variables() -> list[Variable]:
    return [
        Variable("response", "response", "Response number in this export", "numeric", NOMINAL),
        Variable("participant_code", "participant code", "Pseudonymous participant code", "string", NOMINAL),
        Variable("unit", "unit", "Delivery unit of the meeting", "string", NOMINAL),
        Variable("instrument", "instrument", "Instrument key", "string", NOMINAL),
        Variable("version", "version", "Instrument version", "numeric", NOMINAL),
        Variable("mode", "mode", "How the answer was given", "string", NOMINAL),
        Variable("answered_on", "answered on", "Date of answering (Helsinki)", "date", SCALE),
        Variable("total", "total", "Total score", "numeric", SCALE),
        Variable("mean_item_score", "mean item score", "Mean item score", "numeric", SCALE),
        Variable("band", "band", "Severity band of the total", "string", NOMINAL),
    ]


def _item_variables(
    versions: Sequence[Mapping[str, Any]], items: Sequence[Mapping[str, Any]], options: dict[int, list[tuple[int, str]]]
) -> tuple[list[Variable], dict[int, str], dict[tuple[int, int], str]]:
    """The item columns, version by version; the name of each item's column and of each
    multiple-choice option's 0/1 column."""
    variables: list[Variable] = []
    taken = {v.name for v in _fixed_variables()}
    by_item: dict[int, str] = {}
    by_option: dict[tuple[int, int], str] = {}
    items_of: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    language = label_language()
    for item in items:
        items_of[item["version_id"]].append(item)
    for version in versions:
        key, number = version["instrument__key"], version["number"]
        head = {"instrument": key, "version": number, "scoring": _scoring(version)}
        for item in items_of[version["pk"]]:
            source = f"{key} v{number} {item['key']}"
            label = text_in(item["text"], language, item["key"])
            common = {**head, "item_type": item["type"]}
            if item["type"] == ItemType.MULTIPLE_CHOICE:
                chosen = CHOSEN.get(language if language in item["text"] else "en", CHOSEN["en"])
                for value, option_label in options.get(item["pk"], []):
                    name = variable_name(f"{source} {value}", taken)
                    by_option[(item["pk"], value)] = name
                    variables.append(
                        Variable(
                            name,
                            f"{source} = {value}",
                            f"{label}: {option_label}",
                            "numeric",
                            NOMINAL,
                            chosen,
                            **common,
                        )
                    )
                continue
            name = variable_name(source, taken)
            by_item[item["pk"]] = name
            kind = "numeric" if item["type"] in NUMERIC_TYPES else "date" if item["type"] == ItemType.DATE else "string"
            level = _level(item, scored=version["scoring__method"] not in (None, "", Method.NONE))
            variables.append(Variable(name, source, label, kind, level, _value_labels(item, options), **common))
    return variables, by_item, by_option


def _level(item: Mapping[str, Any], *, scored: bool) -> str:
    """A rating scale is ordinal; so is a single choice that counts in a score (its values are
    points on one scale, e.g. EPDS's 0-3); other single choices name categories. Numbers and
    dates are scale; free text is nominal."""
    if item["type"] == ItemType.SCALE or (item["type"] == ItemType.SINGLE_CHOICE and scored and item["scored"]):
        return ORDINAL
    if item["type"] in (ItemType.NUMBER, ItemType.DATE):
        return SCALE
    return NOMINAL


def _value_labels(item: Mapping[str, Any], options: dict[int, list[tuple[int, str]]]) -> dict[int, str]:
    if item["type"] == ItemType.SINGLE_CHOICE:
        return dict(options.get(item["pk"], []))
    labels = {}
    if item["type"] == ItemType.SCALE:
        for end in ("min", "max"):
            value, text = _whole(item[f"{end}_value"]), text_in(item[f"{end}_label"], label_language())
            if value is not None and text:
                labels[value] = text
    return labels


def data_set(viewer: Viewer | None, programme: Programme, filters: selectors.Filters) -> DataSet:
    """The export's rows in the report's scope (``viewer`` None: the whole programme)."""
    scope = selectors.scope(viewer, programme, filters)
    responses_qs = scope.responses
    # answered_on is the scope's annotation (the day in Helsinki), which the type plugin cannot see.
    responses = list(
        responses_qs.order_by("answered_on", "submitted_at", "pk").values(  # type: ignore[misc]  # values() with expressions the stubs cannot type
            "pk",
            "participant_id",
            "participant__code",
            "participant__organisation_id",
            "meeting__unit__name",
            "version_id",
            "version__instrument__key",
            "version__number",
            "mode",
            "answered_on",
            "total",
            "mean_item_score",
            "band__key",
            "band__label",
        )
    )
    pks = responses_qs.values("pk")
    answers = list(
        Answer.objects.filter(response__in=pks).values_list("pk", "response_id", "item_id", "value", "text", "date")
    )
    picked: dict[int, list[int]] = defaultdict(list)
    for answer_id, value in Answer.choices.through.objects.filter(answer__response__in=pks).values_list(
        "answer_id", "option__value"
    ):
        picked[answer_id].append(value)
    version_ids = sorted({r["version_id"] for r in responses})
    versions = list(
        InstrumentVersion.objects.filter(pk__in=version_ids)
        .order_by("instrument__key", "number")
        .values(
            "pk",
            "number",
            "instrument__key",
            "scoring__method",
            "scoring__multiplier",
            "scoring__missing_rule",
            "scoring__max_missing",
            "scoring__direction",
            "scoring__notes",
        )
    )
    items = list(
        Item.objects.filter(version_id__in=version_ids)
        .order_by("version_id", "position", "pk")
        .values("pk", "version_id", "key", "type", "text", "min_value", "max_value", "min_label", "max_label", "scored")
    )
    options: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for item_id, value, label in (
        Option.objects.filter(item__version_id__in=version_ids)
        .order_by("item_id", "position", "pk")
        .values_list("item_id", "value", "label")
    ):
        options[item_id].append((value, text_in(label, label_language(), str(value))))
    item_vars, by_item, by_option = _item_variables(versions, items, options)
    data = _arrange(programme, responses, answers, picked, items, options, item_vars, by_item, by_option)
    _add_service_data(data, scope)
    return data


def _add_service_data(data: DataSet, scope: Scope) -> None:
    """The roll call of the held meetings in the period, for people whose evaluation consent held
    on the meeting's day (as for answers), and the funnel: every enrolment in scope, its code
    shown only for someone already in the file. Three queries."""
    numbers: dict[int, int] = {}
    counter: dict[int, int] = defaultdict(int)
    held = Meeting.objects.filter(unit__in=scope.units, status=Meeting.Status.HELD)
    for meeting_id, unit_id in held.order_by("unit_id", "starts_at", "pk").values_list("pk", "unit_id"):
        counter[unit_id] += 1
        numbers[meeting_id] = counter[unit_id]
    rows = (
        Attendance.objects.filter(meeting__in=held, participant__isnull=False)
        .annotate(day=TruncDate("meeting__starts_at", tzinfo=HELSINKI))
        .filter(in_period("day", scope.filters))
        .filter(consent_holds_on(OuterRef("day"), participant="participant"))
        .order_by("meeting__unit__name", "meeting__starts_at", "meeting_id", "participant__code")
        .values(
            "participant_id",
            "participant__code",
            "participant__organisation_id",
            "meeting_id",
            "meeting__unit__name",
            "day",
            "status",
        )
    )
    people = {p.pk: p for p in data.participants}
    for row in rows:
        data.attendance.append(
            {
                "participant_code": row["participant__code"],
                "unit": row["meeting__unit__name"],
                "meeting_number": numbers[row["meeting_id"]],
                "meeting_date": row["day"],
                "status": row["status"],
            }
        )
        people.setdefault(
            row["participant_id"],
            Participant(
                pk=row["participant_id"],
                code=row["participant__code"],
                organisation_id=row["participant__organisation_id"],
            ),
        )
    data.participants = list(people.values())
    stages = FUNNEL_COLUMNS[6:]
    enrolments = scope.enrolments.order_by("contacted_on", "pk").values(
        "participant_id", "participant__code", "unit__name", "segment", "referral_source", "stage", *stages
    )
    for number, row in enumerate(enrolments, start=1):
        code = row["participant__code"] if row["participant_id"] in people else ""
        data.funnel.append(
            {
                "enrolment": number,
                "participant_code": code,
                "unit": row["unit__name"] or "",
                "segment": row["segment"],
                "referral_source": row["referral_source"],
                "stage": row["stage"],
                **{stage: row[stage] for stage in stages},
            }
        )


def _arrange(
    programme: Programme,
    responses: list[dict[str, Any]],
    answers: list[tuple[int, int, int, float | None, str, date | None]],
    picked: dict[int, list[int]],
    items: Sequence[Mapping[str, Any]],
    options: dict[int, list[tuple[int, str]]],
    item_vars: list[Variable],
    by_item: dict[int, str],
    by_option: dict[tuple[int, int], str],
) -> DataSet:
    item_of = {item["pk"]: item for item in items}
    number_of = {r["pk"]: n for n, r in enumerate(responses, start=1)}
    wide: dict[int, dict[str, Any]] = {}
    heads: dict[int, dict[str, Any]] = {}
    participants: dict[int, Participant] = {}
    for n, r in enumerate(responses, start=1):
        head = {
            "response": n,
            "participant_code": r["participant__code"] or "",
            "unit": r["meeting__unit__name"] or "",
            "instrument": r["version__instrument__key"],
            "version": r["version__number"],
            "mode": r["mode"],
            "answered_on": r["answered_on"],
        }
        score = {"total": r["total"], "band": text_in(r["band__label"] or {}, label_language(), r["band__key"] or "")}
        heads[r["pk"]] = head | score
        wide[r["pk"]] = head | score | {"mean_item_score": r["mean_item_score"]}
        if r["participant_id"] is not None:
            # Only the id, organisation and code are needed for the log entry: no further query.
            participants[r["participant_id"]] = Participant(
                pk=r["participant_id"], code=r["participant__code"], organisation_id=r["participant__organisation_id"]
            )
    long: list[dict[str, Any]] = []
    for answer_id, response_id, item_id, value, text, day in sorted(answers, key=lambda a: (number_of[a[1]], a[2])):
        item = item_of[item_id]
        base = heads[response_id] | {"item": item["key"], "item_type": item["type"]}
        labels = dict(options.get(item_id, []))
        if item["type"] == ItemType.MULTIPLE_CHOICE:
            chosen = picked.get(answer_id, [])
            for option_value, _label in options.get(item_id, []):
                wide[response_id][by_option[(item_id, option_value)]] = int(option_value in chosen)
            # One long row per chosen option; one with an empty value when none was chosen.
            long += [_long_row(base, v, labels.get(v, ""), "") for v in sorted(chosen)] or [
                _long_row(base, None, "", "")
            ]
            continue
        text_value = day.isoformat() if day else text
        if item["type"] in NUMERIC_TYPES:
            wide[response_id][by_item[item_id]] = value
        elif item["type"] == ItemType.DATE:
            wide[response_id][by_item[item_id]] = day
        else:
            wide[response_id][by_item[item_id]] = text_value
        whole = _whole(value)
        label = labels.get(whole, "") if whole is not None else ""
        long.append(_long_row(base, value, label, text_value))
    return DataSet(programme, _fixed_variables() + item_vars, list(wide.values()), long, list(participants.values()))


def _long_row(base: dict[str, Any], value: float | None, label: str, text: str) -> dict[str, Any]:
    return {**base, "value": value, "value_label": label, "text": text}


# --- Writing -------------------------------------------------------------------------------


def codebook_rows(variables: list[Variable]) -> list[list[Any]]:
    return [
        [
            v.name,
            v.source,
            v.label,
            v.kind,
            v.level,
            "; ".join(f"{value} = {label}" for value, label in v.values.items()),
            v.instrument,
            v.version if v.version is not None else "",
            v.item_type,
            v.scoring,
        ]
        for v in variables
    ]


def as_csv(data: DataSet, *, finnish: bool = False) -> bytes:
    return csv_bytes(LONG_COLUMNS, ([row[c] for c in LONG_COLUMNS] for row in data.long), finnish=finnish)


def as_csv_fi(data: DataSet) -> bytes:
    """ "Excel (suomi)": semicolons and decimal commas (core/spreadsheets.csv_bytes)."""
    return as_csv(data, finnish=True)


def as_codebook(data: DataSet) -> bytes:
    return csv_bytes(CODEBOOK_COLUMNS, codebook_rows(data.variables))


def as_xlsx(data: DataSet) -> bytes:
    """Five sheets: responses (wide), answers (long), attendance, funnel and the codebook; each
    with its header frozen and filterable, dates as dates."""
    book = Workbook()
    book.remove(book.active)
    names = [v.name for v in data.variables]
    sheets = {
        "responses": (names, [[row.get(n) for n in names] for row in data.wide]),
        "answers": (LONG_COLUMNS, [[row[c] for c in LONG_COLUMNS] for row in data.long]),
        "attendance": (ATTENDANCE_COLUMNS, [[row[c] for c in ATTENDANCE_COLUMNS] for row in data.attendance]),
        "funnel": (FUNNEL_COLUMNS, [[row[c] for c in FUNNEL_COLUMNS] for row in data.funnel]),
        "codebook": (CODEBOOK_COLUMNS, codebook_rows(data.variables)),
    }
    for title, (header, rows) in sheets.items():
        write_table(book.create_sheet(title), header, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def frame(data: DataSet, *, stata: bool = False) -> pd.DataFrame:
    """The wide table with one column per variable: numbers as floats (missing: NaN), text as
    strings (missing: empty), dates as timestamps (written as SPSS DATE11) or, for Stata, as days
    since 1960 (written as %td). Both keep a date column a date even when every value is missing,
    which a column of date objects does not (the writers then make it a string)."""
    columns: dict[str, Any] = {}
    for v in data.variables:
        values = [row.get(v.name) for row in data.wide]
        if v.kind == "numeric":
            columns[v.name] = pd.Series([float("nan") if x is None else float(x) for x in values], dtype="float64")
        elif v.kind == "date" and stata:
            days = [float("nan") if x is None else float((x - STATA_EPOCH).days) for x in values]
            columns[v.name] = pd.Series(days, dtype="float64")
        elif v.kind == "date":
            columns[v.name] = pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
        else:
            columns[v.name] = pd.Series(["" if x is None else str(x) for x in values], dtype="object")
    return pd.DataFrame(columns)


def spss_format(variable: Variable, values: Sequence[Any]) -> str | None:
    """The variable's SPSS print format: whole numbers as F<w>.0 (at least F2.0, the width of the
    longest value), real numbers as F8.2, dates as DATE11; None leaves strings to the writer (A<w>)."""
    if variable.kind == "date":
        return "DATE11"
    if variable.kind != "numeric":
        return None
    numbers = [float(x) for x in values if x is not None]
    if variable.name == "mean_item_score" or not all(x.is_integer() for x in numbers):
        return "F8.2"
    candidates = [*numbers, *variable.values]
    width = max([2, *(len(str(int(x))) for x in candidates)])
    return f"F{width}.0"


def _cut_bytes(text: str, limit: int) -> str:
    """The longest start of ``text`` that fits in ``limit`` bytes of UTF-8, never inside a character."""
    return text.encode()[:limit].decode(errors="ignore")


def _statistics_file(data: DataSet, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        if suffix == ".sav":
            pyreadstat.write_sav(
                frame(data),
                str(path),
                column_labels={v.name: _cut_bytes(v.label, MAX_SPSS_LABEL_BYTES) for v in data.variables},
                variable_value_labels={
                    v.name: {value: _cut_bytes(label, MAX_SPSS_VALUE_LABEL_BYTES) for value, label in v.values.items()}
                    for v in data.variables
                    if v.values
                },
                variable_measure={v.name: v.level for v in data.variables},
                variable_format={
                    v.name: spss
                    for v in data.variables
                    if (spss := spss_format(v, [row.get(v.name) for row in data.wide])) is not None
                },
                file_label=data.programme.slug,
            )
        else:
            # Format 118 (Stata 14 and later, documented in docs/evaluation.md); strings longer
            # than 2,045 bytes are written as strL, whole.
            pyreadstat.write_dta(
                frame(data, stata=True),
                str(path),
                column_labels={v.name: v.label[:MAX_STATA_LABEL] for v in data.variables},
                variable_value_labels=_stata_value_labels(data),
                file_label=data.programme.slug[:MAX_STATA_LABEL],
                variable_format={v.name: "%td" for v in data.variables if v.kind == "date"},
                version=14,
            )
        return path.read_bytes()


def _stata_value_labels(data: DataSet) -> dict[str, dict[int | float, str]]:
    return {v.name: {value: label for value, label in v.values.items()} for v in data.variables if v.values}


def as_sav(data: DataSet) -> bytes:
    return _statistics_file(data, ".sav")


def as_dta(data: DataSet) -> bytes:
    return _statistics_file(data, ".dta")


WRITERS: dict[str, tuple[Callable[[DataSet], bytes], str, str]] = {
    "csv": (as_csv, "text/csv; charset=utf-8", "csv"),
    "csv-fi": (as_csv_fi, "text/csv; charset=utf-8", "csv"),
    "xlsx": (as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "sav": (as_sav, "application/x-spss-sav", "sav"),
    "dta": (as_dta, "application/x-stata-dta", "dta"),
    "codebook": (as_codebook, "text/csv; charset=utf-8", "csv"),
}
