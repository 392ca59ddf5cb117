"""Person-level data exports of a programme: the answers in long format, a wide table with one
row per response, and a codebook; as CSV, XLSX, SPSS ``.sav`` and Stata ``.dta``.

The rows come from the report's own scope (``selectors.scope``), so an export covers exactly
the answers the internal report counts: the user's units, the period, and only answers whose
evaluation consent held on the day they were given (``selectors.consented_responses``).
Anonymous client-panel answers are included without a person code. People appear under their
pseudonymous code only; contact details are never read.

Six queries whatever the size: responses, answers, chosen options, versions with their scoring
rules, items, options. docs/evaluation.md, section "Exports", describes the files.
"""

import csv
import hashlib
import io
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
from openpyxl import Workbook

from pilotti.core.spreadsheets import append_row, csv_safe
from pilotti.evaluation import selectors
from pilotti.instruments.models import DIRECTIONS, METHODS, MISSING_RULES, Answer, InstrumentVersion, Item, Option
from pilotti.instruments.spec import ItemType, text_in
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Participant
from pilotti.programmes.models import Programme

FORMATS = ("csv", "xlsx", "sav", "dta", "codebook")
# Labels in the files: the instrument's Finnish wording where it has one, else English (text_in).
LABEL_LANGUAGE = "fi"
# Stata allows 32 characters in a name (SPSS 64), but pyreadstat names a variable's value-label
# set after it plus a counter, which must fit in 32 too: 28 leaves room for 9,999 labelled
# variables. One mapping serves both formats.
MAX_NAME = 28
MAX_LABEL = 80  # Stata's limit on variable labels
MAX_STATA_STRING = 2045  # Stata's longest fixed-width string
NUMERIC_TYPES = (*ItemType.NUMERIC,)
# The 0/1 columns of a multiple-choice item, labelled in the language of the item's wording.
CHOSEN = {"fi": {0: "ei valittu", 1: "valittu"}, "en": {0: "not chosen", 1: "chosen"}}
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
CODEBOOK_COLUMNS = ["name", "source", "label", "type", "values", "instrument", "version", "item_type", "scoring"]


@dataclass
class Variable:
    """A column of the wide table and a row of the codebook."""

    name: str  # in the file: ASCII, at most 32 characters, unique
    source: str  # what it is in Pilotti, e.g. who-5 v1 q3
    label: str
    kind: str  # numeric | string | date
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


# --- Variable names ------------------------------------------------------------------------


def variable_name(source: str, taken: set[str]) -> str:
    """A Stata- and SPSS-safe name for ``source``: ASCII letters, digits and underscores, starting
    with a letter, at most 28 characters. Too long or already taken: its first and last ten
    characters and six hex digits of the source's SHA-1, so the same source always gets the same name."""
    ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9_]+", "_", ascii_text.lower()).strip("_") or "v"
    if not name[0].isalpha():
        name = f"v_{name}"
    if len(name) > MAX_NAME or name in taken:
        digest = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()[:6]
        # Both ends stay readable: the instrument's key starts a name, the item's key ends it.
        name = f"{name[:10].rstrip('_')}_{name[-10:].strip('_')}_{digest}"
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
        Variable("response", "response", "Response number in this export", "numeric"),
        Variable("participant_code", "participant code", "Pseudonymous participant code", "string"),
        Variable("unit", "unit", "Delivery unit of the meeting", "string"),
        Variable("instrument", "instrument", "Instrument key", "string"),
        Variable("version", "version", "Instrument version", "numeric"),
        Variable("mode", "mode", "How the answer was given", "string"),
        Variable("answered_on", "answered on", "Date of answering (Helsinki)", "date"),
        Variable("total", "total", "Total score", "numeric"),
        Variable("mean_item_score", "mean item score", "Mean item score", "numeric"),
        Variable("band", "band", "Severity band of the total", "string"),
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
    for item in items:
        items_of[item["version_id"]].append(item)
    for version in versions:
        key, number = version["instrument__key"], version["number"]
        head = {"instrument": key, "version": number, "scoring": _scoring(version)}
        for item in items_of[version["pk"]]:
            source = f"{key} v{number} {item['key']}"
            label = text_in(item["text"], LABEL_LANGUAGE, item["key"])
            common = {**head, "item_type": item["type"]}
            if item["type"] == ItemType.MULTIPLE_CHOICE:
                chosen = CHOSEN["fi" if "fi" in item["text"] else "en"]
                for value, option_label in options.get(item["pk"], []):
                    name = variable_name(f"{source} {value}", taken)
                    by_option[(item["pk"], value)] = name
                    variables.append(
                        Variable(name, f"{source} = {value}", f"{label}: {option_label}", "numeric", chosen, **common)
                    )
                continue
            name = variable_name(source, taken)
            by_item[item["pk"]] = name
            kind = "numeric" if item["type"] in NUMERIC_TYPES else "string"
            variables.append(Variable(name, source, label, kind, _value_labels(item, options), **common))
    return variables, by_item, by_option


def _value_labels(item: Mapping[str, Any], options: dict[int, list[tuple[int, str]]]) -> dict[int, str]:
    if item["type"] == ItemType.SINGLE_CHOICE:
        return dict(options.get(item["pk"], []))
    labels = {}
    if item["type"] == ItemType.SCALE:
        for end in ("min", "max"):
            value, text = _whole(item[f"{end}_value"]), text_in(item[f"{end}_label"], LABEL_LANGUAGE)
            if value is not None and text:
                labels[value] = text
    return labels


def data_set(viewer: Viewer | None, programme: Programme, filters: selectors.Filters) -> DataSet:
    """The export's rows in the report's scope (``viewer`` None: the whole programme)."""
    responses_qs = selectors.scope(viewer, programme, filters).responses
    # answered_on is the scope's annotation (the day in Helsinki), which the type plugin cannot see.
    responses = list(
        responses_qs.order_by("answered_on", "submitted_at", "pk").values(  # type: ignore[misc]
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
        .values("pk", "version_id", "key", "type", "text", "min_value", "max_value", "min_label", "max_label")
    )
    options: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for item_id, value, label in (
        Option.objects.filter(item__version_id__in=version_ids)
        .order_by("item_id", "position", "pk")
        .values_list("item_id", "value", "label")
    ):
        options[item_id].append((value, text_in(label, LABEL_LANGUAGE, str(value))))
    item_vars, by_item, by_option = _item_variables(versions, items, options)
    return _arrange(programme, responses, answers, picked, items, options, item_vars, by_item, by_option)


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
        score = {"total": r["total"], "band": text_in(r["band__label"] or {}, LABEL_LANGUAGE, r["band__key"] or "")}
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
        else:
            wide[response_id][by_item[item_id]] = text_value
        whole = _whole(value)
        label = labels.get(whole, "") if whole is not None else ""
        long.append(_long_row(base, value, label, text_value))
    return DataSet(programme, _fixed_variables() + item_vars, list(wide.values()), long, list(participants.values()))


def _long_row(base: dict[str, Any], value: float | None, label: str, text: str) -> dict[str, Any]:
    return {**base, "value": value, "value_label": label, "text": text}


# --- Writing -------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return csv_safe(value)


def codebook_rows(variables: list[Variable]) -> list[list[Any]]:
    return [
        [
            v.name,
            v.source,
            v.label,
            v.kind,
            "; ".join(f"{value} = {label}" for value, label in v.values.items()),
            v.instrument,
            v.version if v.version is not None else "",
            v.item_type,
            v.scoring,
        ]
        for v in variables
    ]


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads ä and ö right), comma-separated with a
    decimal point (what R, Python, SPSS and Stata read by default)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_plain(value) for value in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def as_csv(data: DataSet) -> bytes:
    return _csv(LONG_COLUMNS, [[row[c] for c in LONG_COLUMNS] for row in data.long])


def as_codebook(data: DataSet) -> bytes:
    return _csv(CODEBOOK_COLUMNS, codebook_rows(data.variables))


def as_xlsx(data: DataSet) -> bytes:
    """Three sheets: responses (wide), answers (long), codebook."""
    book = Workbook()
    book.remove(book.active)
    names = [v.name for v in data.variables]
    sheets = {
        "responses": (names, [[row.get(n) for n in names] for row in data.wide]),
        "answers": (LONG_COLUMNS, [[row[c] for c in LONG_COLUMNS] for row in data.long]),
        "codebook": (CODEBOOK_COLUMNS, codebook_rows(data.variables)),
    }
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title)
        for row in [header, *rows]:
            append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def frame(data: DataSet, *, stata: bool = False) -> pd.DataFrame:
    """The wide table with one column per variable: numbers as floats (missing: NaN), text as
    strings (missing: empty), dates as dates."""
    columns: dict[str, Any] = {}
    for v in data.variables:
        values = [row.get(v.name) for row in data.wide]
        if v.kind == "numeric":
            columns[v.name] = pd.Series([float("nan") if x is None else float(x) for x in values], dtype="float64")
        elif v.kind == "date":
            columns[v.name] = pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
        else:
            texts = ["" if x is None else str(x) for x in values]
            if stata:
                texts = [t.encode()[:MAX_STATA_STRING].decode(errors="ignore") for t in texts]
            columns[v.name] = pd.Series(texts, dtype="object")
    return pd.DataFrame(columns)


def _labels(data: DataSet) -> tuple[dict[str, str | None], dict[str, dict[int | float, str]]]:
    variable_labels: dict[str, str | None] = {v.name: v.label[:MAX_LABEL] for v in data.variables}
    value_labels: dict[str, dict[int | float, str]] = {
        v.name: {value: label[:MAX_LABEL] for value, label in v.values.items()} for v in data.variables if v.values
    }
    return variable_labels, value_labels


def _statistics_file(data: DataSet, suffix: str) -> bytes:
    variable_labels, value_labels = _labels(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        if suffix == ".sav":
            pyreadstat.write_sav(
                frame(data),
                str(path),
                column_labels=variable_labels,
                variable_value_labels=value_labels,
                file_label=data.programme.slug,
            )
        else:
            pyreadstat.write_dta(
                frame(data, stata=True),
                str(path),
                column_labels=variable_labels,
                variable_value_labels=value_labels,
                file_label=data.programme.slug[:80],
                version=15,
            )
        return path.read_bytes()


def as_sav(data: DataSet) -> bytes:
    return _statistics_file(data, ".sav")


def as_dta(data: DataSet) -> bytes:
    return _statistics_file(data, ".dta")


WRITERS = {
    "csv": (as_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "sav": (as_sav, "application/x-spss-sav", "sav"),
    "dta": (as_dta, "application/x-stata-dta", "dta"),
    "codebook": (as_codebook, "text/csv; charset=utf-8", "csv"),
}
