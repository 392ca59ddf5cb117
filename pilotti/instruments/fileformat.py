"""The instrument file: JSON ⇄ ``spec.InstrumentSpec``. Documented in docs/instruments.md.

Validation is hand-written rather than a JSON Schema library: the rules that matter most
(option values unique, bands not overlapping, every listed language has its wording, a
reverse-scored item has a range) are about relations between fields, and each error names the
path and what to do, e.g. ``items[3].options[1].value: must be a whole number``.
"""

import json
import math
import re
from collections.abc import Set as AbstractSet
from typing import Any

from django.utils.translation import gettext as _

from pilotti.instruments.spec import (
    PARTICIPANT_LANGUAGES,
    BandSpec,
    Direction,
    InstrumentSpec,
    ItemSpec,
    ItemType,
    Method,
    MissingRule,
    OptionSpec,
    ReliabilityKind,
    ScoringSpec,
    SubscaleSpec,
    Text,
    VersionSpec,
)

FORMAT = "pilotti-instrument"
FORMAT_VERSION = 1
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MAX_ITEMS = 200
MAX_ERRORS = 30


class FileFormatError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class _Reader:
    """Collects every error with its path, so one upload shows all that needs fixing."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(f"{path}: {message}" if path else message)

    def obj(
        self, data: Any, path: str, allowed: AbstractSet[str], required: AbstractSet[str] = frozenset()
    ) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.error(path, _("must be an object ({…})"))
            return {}
        for name in sorted(set(data) - allowed):
            self.error(f"{path}.{name}" if path else name, _("unknown field; check the spelling"))
        for name in sorted(required - set(data)):
            self.error(f"{path}.{name}" if path else name, _("is missing"))
        return data

    def string(self, data: dict[str, Any], name: str, path: str, *, max_length: int = 0, default: str = "") -> str:
        value = data.get(name, default)
        if not isinstance(value, str):
            self.error(path, _("must be text in quotes"))
            return default
        if max_length and len(value) > max_length:
            self.error(path, _("is too long: at most %(count)d characters") % {"count": max_length})
        return value

    def boolean(self, data: dict[str, Any], name: str, path: str, default: bool) -> bool:
        value = data.get(name, default)
        if not isinstance(value, bool):
            self.error(path, _("must be true or false"))
            return default
        return value

    def number(self, data: dict[str, Any], name: str, path: str, *, whole: bool = False) -> float | None:
        value = data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or (whole and not float(value).is_integer()):
            self.error(path, _("must be a whole number") if whole else _("must be a number"))
            return None
        return float(value)

    def choice(self, data: dict[str, Any], name: str, path: str, choices: tuple[str, ...], default: str) -> str:
        value = data.get(name, default)
        if value not in choices:
            self.error(path, _("must be one of: %(choices)s") % {"choices": ", ".join(choices)})
            return default
        return str(value)

    def key(self, data: dict[str, Any], name: str, path: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not KEY.match(value):
            self.error(path, _("must be a short key of lower-case letters, digits, - or _ (e.g. q1)"))
            return ""
        return value

    def text(self, data: dict[str, Any], name: str, path: str) -> Text:
        value = data.get(name, {})
        if isinstance(value, str):  # a bare string is English, for hand-written files
            return {"en": value} if value else {}
        if not isinstance(value, dict):
            self.error(path, _('must be an object of language code and text, e.g. {"fi": "…", "en": "…"}'))
            return {}
        text: Text = {}
        for language, wording in value.items():
            if language not in PARTICIPANT_LANGUAGES:
                self.error(
                    f"{path}.{language}",
                    _("unknown language; use one of %(languages)s") % {"languages": ", ".join(PARTICIPANT_LANGUAGES)},
                )
            elif not isinstance(wording, str):
                self.error(f"{path}.{language}", _("must be text in quotes"))
            elif wording.strip():
                text[language] = wording.strip()
        return text

    def items_list(self, data: dict[str, Any], name: str, path: str) -> list[Any]:
        value = data.get(name, [])
        if not isinstance(value, list):
            self.error(path, _("must be a list ([…])"))
            return []
        return value


def _bands(reader: _Reader, raw: list[Any], path: str) -> tuple[BandSpec, ...]:
    bands: list[BandSpec] = []
    for n, entry in enumerate(raw):
        here = f"{path}[{n}]"
        data = reader.obj(entry, here, {"key", "min", "max", "label"}, {"key", "min", "max"})
        low, high = reader.number(data, "min", f"{here}.min"), reader.number(data, "max", f"{here}.max")
        key = reader.key(data, "key", f"{here}.key")
        if low is None or high is None:
            continue
        if low > high:
            reader.error(f"{here}.max", _("is below min; a band runs from min up to max"))
            continue
        for other in bands:
            if low <= other.high and other.low <= high:
                reader.error(here, _("overlaps the band %(key)s; bands must not share scores") % {"key": other.key})
        bands.append(BandSpec(key=key, low=low, high=high, label=reader.text(data, "label", f"{here}.label")))
    return tuple(bands)


ITEM_FIELDS = {
    "key", "type", "text", "options", "min", "max", "min_label", "max_label",
    "required", "reverse_scored", "subscale", "safety", "scored",
}  # fmt: skip


def _item(reader: _Reader, entry: Any, here: str, subscale_keys: set[str]) -> ItemSpec:
    data = reader.obj(entry, here, ITEM_FIELDS, {"key", "type"})
    kind = reader.choice(data, "type", f"{here}.type", ItemType.ALL, ItemType.FREE_TEXT)
    options: list[OptionSpec] = []
    for m, raw_option in enumerate(reader.items_list(data, "options", f"{here}.options")):
        where = f"{here}.options[{m}]"
        option = reader.obj(raw_option, where, {"value", "label"}, {"value"})
        value = reader.number(option, "value", f"{where}.value", whole=True)
        if value is None:
            continue
        if any(o.value == value for o in options):
            reader.error(f"{where}.value", _("is used by another option; give each option its own value"))
        options.append(OptionSpec(value=int(value), label=reader.text(option, "label", f"{where}.label")))
    if kind in ItemType.WITH_OPTIONS and not options and "options" in data:
        reader.error(f"{here}.options", _("a choice item needs at least one option"))
    elif kind in ItemType.WITH_OPTIONS and "options" not in data:
        reader.error(f"{here}.options", _("is missing; a choice item needs its options"))
    elif kind not in ItemType.WITH_OPTIONS and options:
        reader.error(f"{here}.options", _("only single and multiple choice items have options"))
    low, high = reader.number(data, "min", f"{here}.min"), reader.number(data, "max", f"{here}.max")
    if kind == ItemType.SCALE and (low is None or high is None):
        reader.error(here, _("a scale needs min and max, e.g. 1 and 10"))
    if low is not None and high is not None and low >= high:
        reader.error(f"{here}.max", _("must be greater than min"))
    item = ItemSpec(
        key=reader.key(data, "key", f"{here}.key"),
        type=kind,
        text=reader.text(data, "text", f"{here}.text"),
        options=tuple(options),
        min_value=low,
        max_value=high,
        min_label=reader.text(data, "min_label", f"{here}.min_label"),
        max_label=reader.text(data, "max_label", f"{here}.max_label"),
        required=reader.boolean(data, "required", f"{here}.required", True),
        reverse_scored=reader.boolean(data, "reverse_scored", f"{here}.reverse_scored", False),
        subscale=reader.string(data, "subscale", f"{here}.subscale", default="") if data.get("subscale") else "",
        is_safety_item=reader.boolean(data, "safety", f"{here}.safety", False),
        scored=reader.boolean(data, "scored", f"{here}.scored", True),
    )
    if item.subscale and item.subscale not in subscale_keys:
        reader.error(f"{here}.subscale", _("names no subscale; add it to subscales or remove it"))
    if item.reverse_scored and (kind not in ItemType.NUMERIC or item.value_range is None):
        reader.error(f"{here}.reverse_scored", _("needs a scale, or options, to reverse within"))
    return item


SCORING_FIELDS = {
    "method", "multiplier", "conversion_table", "missing", "direction", "bands", "clinical_cutoff",
    "reliability", "reliability_kind", "norms", "reliable_change_points", "notes",
}  # fmt: skip


def _norm(reader: _Reader, norms: dict[str, Any], name: str, path: str) -> tuple[float | None, float | None]:
    if norms.get(name) is None:
        return None, None
    data = reader.obj(norms[name], f"{path}.{name}", {"mean", "sd"}, {"mean", "sd"})
    return reader.number(data, "mean", f"{path}.{name}.mean"), reader.number(data, "sd", f"{path}.{name}.sd")


def _scoring(reader: _Reader, raw: Any, path: str) -> ScoringSpec:
    data = reader.obj(raw, path, SCORING_FIELDS, {"method"})
    method = reader.choice(data, "method", f"{path}.method", Method.ALL, Method.NONE)
    missing = reader.obj(data.get("missing", {}), f"{path}.missing", {"rule", "max_missing"})
    rule = reader.choice(missing, "rule", f"{path}.missing.rule", MissingRule.ALL, MissingRule.ALL_REQUIRED)
    max_missing = reader.number(missing, "max_missing", f"{path}.missing.max_missing", whole=True) or 0
    if rule == MissingRule.PRORATE and max_missing < 1:
        reader.error(f"{path}.missing.max_missing", _("prorating needs how many items may be missing, at least 1"))
    table: list[tuple[int, float]] = []
    raw_table = data.get("conversion_table") or {}
    if not isinstance(raw_table, dict):
        reader.error(
            f"{path}.conversion_table", _('must be an object of raw score and converted score, e.g. {"7": 7.0}')
        )
        raw_table = {}
    for raw_score in raw_table:
        if not str(raw_score).lstrip("-").isdigit():
            reader.error(f"{path}.conversion_table.{raw_score}", _("the raw score must be a whole number"))
            continue
        value = reader.number(raw_table, raw_score, f"{path}.conversion_table.{raw_score}")
        if value is not None:
            table.append((int(raw_score), value))
    multiplier = reader.number(data, "multiplier", f"{path}.multiplier")
    if method == Method.SCALED and multiplier is None and not table:
        reader.error(path, _("a scaled score needs a multiplier or a conversion_table"))
    reliability = reader.number(data, "reliability", f"{path}.reliability")
    if reliability is not None and not 0 <= reliability < 1:
        reader.error(f"{path}.reliability", _("must be at least 0 and below 1, e.g. 0.89"))
    norms = reader.obj(data.get("norms") or {}, f"{path}.norms", {"functional", "clinical"})
    functional, clinical = (
        _norm(reader, norms, "functional", f"{path}.norms"),
        _norm(reader, norms, "clinical", f"{path}.norms"),
    )
    return ScoringSpec(
        method=method,
        multiplier=multiplier,
        conversion_table=tuple(sorted(table)),
        missing_rule=rule,
        max_missing=int(max_missing),
        direction=reader.choice(data, "direction", f"{path}.direction", Direction.ALL, Direction.HIGHER_IS_BETTER),
        bands=_bands(reader, reader.items_list(data, "bands", f"{path}.bands"), f"{path}.bands"),
        clinical_cutoff=reader.number(data, "clinical_cutoff", f"{path}.clinical_cutoff"),
        reliability=reliability,
        reliability_kind=reader.choice(
            data, "reliability_kind", f"{path}.reliability_kind", ("", *ReliabilityKind.ALL), ""
        ),
        functional_mean=functional[0],
        functional_sd=functional[1],
        clinical_mean=clinical[0],
        clinical_sd=clinical[1],
        reliable_change_points=reader.number(data, "reliable_change_points", f"{path}.reliable_change_points"),
        notes=reader.string(data, "notes", f"{path}.notes"),
    )


TOP_FIELDS = {
    "format", "format_version", "key", "name", "description", "names", "descriptions", "source", "licence",
    "shows_wording",
    "is_validated", "version", "languages", "title", "instructions", "items", "subscales", "scoring",
}  # fmt: skip


def _check_languages(reader: _Reader, spec: VersionSpec) -> None:
    """A language listed as available must have its wording everywhere a participant reads."""
    for language in spec.languages:
        for n, item in enumerate(spec.items):
            if language not in item.text:
                reader.error(
                    f"items[{n}].text",
                    _("has no %(language)s wording, but %(language)s is listed in languages") % {"language": language},
                )
            for m, option in enumerate(item.options):
                if language not in option.label:
                    reader.error(
                        f"items[{n}].options[{m}].label",
                        _("has no %(language)s wording, but %(language)s is listed in languages")
                        % {"language": language},
                    )


def parse(data: Any) -> InstrumentSpec:
    """A decoded JSON file → InstrumentSpec, or FileFormatError listing every problem."""
    reader = _Reader()
    top = reader.obj(data, "", TOP_FIELDS, {"format", "key", "name", "items", "scoring"})
    if not isinstance(data, dict):
        raise FileFormatError(reader.errors)
    if top.get("format") != FORMAT:
        reader.error("format", _('must be "%(format)s"') % {"format": FORMAT})
    if top.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        reader.error("format_version", _("must be %(version)d") % {"version": FORMAT_VERSION})
    languages: list[str] = []
    for n, language in enumerate(reader.items_list(top, "languages", "languages")):
        if language not in PARTICIPANT_LANGUAGES:
            reader.error(
                f"languages[{n}]",
                _("unknown language; use one of %(languages)s") % {"languages": ", ".join(PARTICIPANT_LANGUAGES)},
            )
        elif language not in languages:
            languages.append(language)
    subscales: list[SubscaleSpec] = []
    for n, entry in enumerate(reader.items_list(top, "subscales", "subscales")):
        here = f"subscales[{n}]"
        sub = reader.obj(entry, here, {"key", "name", "method", "bands"}, {"key"})
        key = reader.key(sub, "key", f"{here}.key")
        if key and any(s.key == key for s in subscales):
            reader.error(f"{here}.key", _("is used twice; give each subscale its own key"))
        subscales.append(
            SubscaleSpec(
                key=key,
                name=reader.text(sub, "name", f"{here}.name"),
                method=reader.choice(sub, "method", f"{here}.method", (Method.SUM, Method.MEAN), Method.SUM),
                bands=_bands(reader, reader.items_list(sub, "bands", f"{here}.bands"), f"{here}.bands"),
            )
        )
    raw_items = reader.items_list(top, "items", "items")
    if not raw_items and "items" in top:
        reader.error("items", _("needs at least one item"))
    if len(raw_items) > MAX_ITEMS:
        reader.error("items", _("has too many items: at most %(count)d") % {"count": MAX_ITEMS})
    items: list[ItemSpec] = []
    for n, entry in enumerate(raw_items[:MAX_ITEMS]):
        item = _item(reader, entry, f"items[{n}]", {s.key for s in subscales})
        if item.key and any(i.key == item.key for i in items):
            reader.error(f"items[{n}].key", _("is used by another item; give each item its own key"))
        items.append(item)
    version = VersionSpec(
        items=tuple(items),
        scoring=_scoring(reader, top.get("scoring", {}), "scoring"),
        subscales=tuple(subscales),
        languages=tuple(languages),
        title=reader.text(top, "title", "title"),
        instructions=reader.text(top, "instructions", "instructions"),
    )
    if version.scoring.method == Method.SUBSCALES and not subscales:
        reader.error("scoring.method", _("scoring by subscales needs at least one subscale"))
    if version.scoring.method not in (Method.NONE, Method.SUBSCALES) and not any(i.counts_in_score for i in items):
        reader.error("scoring.method", _("no item counts in the score; use a scale, single choice or number item"))
    _check_languages(reader, version)
    spec = InstrumentSpec(
        key=reader.key(top, "key", "key"),
        name=reader.string(top, "name", "name", max_length=200).strip(),
        version=version,
        description=reader.string(top, "description", "description"),
        source=reader.string(top, "source", "source"),
        licence=reader.string(top, "licence", "licence"),
        shows_wording=reader.boolean(top, "shows_wording", "shows_wording", True),
        is_validated=reader.boolean(top, "is_validated", "is_validated", False),
        names=reader.text(top, "names", "names"),
        descriptions=reader.text(top, "descriptions", "descriptions"),
    )
    if not spec.name and "name" in top:
        reader.error("name", _("must not be empty"))
    if reader.errors:
        raise FileFormatError(reader.errors)
    return spec


def _refuse_constant(name: str) -> float:
    raise ValueError(_("%(name)s is not a number") % {"name": name})


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses to infinity
        raise ValueError(_("%(text)s is too large a number") % {"text": text[:40]})
    return value


def loads(content: bytes | str) -> InstrumentSpec:
    # Python's json reads NaN and Infinity, which JSON does not have: a score band or a scale's
    # end at NaN compares false with everything, so no score would ever fall in it (issue 19, 12).
    try:
        data = json.loads(content, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (UnicodeDecodeError, ValueError) as error:
        raise FileFormatError([_("The file is not valid JSON: %(error)s") % {"error": error}]) from error
    return parse(data)


# --- Export -------------------------------------------------------------------------------


def _number_out(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _bands_out(bands: tuple[BandSpec, ...]) -> list[dict[str, Any]]:
    return [{"key": b.key, "min": _number_out(b.low), "max": _number_out(b.high), "label": b.label} for b in bands]


def _item_out(item: ItemSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"key": item.key, "type": item.type, "text": item.text}
    if item.options:
        out["options"] = [{"value": o.value, "label": o.label} for o in item.options]
    for name, value in (("min", item.min_value), ("max", item.max_value)):
        if value is not None:
            out[name] = _number_out(value)
    for name, text in (("min_label", item.min_label), ("max_label", item.max_label)):
        if text:
            out[name] = text
    out["required"] = item.required
    if item.reverse_scored:
        out["reverse_scored"] = True
    if item.subscale:
        out["subscale"] = item.subscale
    if item.is_safety_item:
        out["safety"] = True
    if not item.scored:
        out["scored"] = False
    return out


def dump(spec: InstrumentSpec, *, version_number: int | None = None) -> dict[str, Any]:
    v, rule = spec.version, spec.version.scoring
    norms = {
        name: {"mean": _number_out(mean), "sd": _number_out(sd)}
        for name, mean, sd in (
            ("functional", rule.functional_mean, rule.functional_sd),
            ("clinical", rule.clinical_mean, rule.clinical_sd),
        )
        if mean is not None and sd is not None
    }
    scoring: dict[str, Any] = {
        "method": rule.method,
        "multiplier": _number_out(rule.multiplier),
        "conversion_table": {str(raw): converted for raw, converted in rule.conversion_table} or None,
        "missing": {"rule": rule.missing_rule, "max_missing": rule.max_missing},
        "direction": rule.direction,
        "bands": _bands_out(rule.bands),
        "clinical_cutoff": _number_out(rule.clinical_cutoff),
        "reliability": rule.reliability,
        "reliability_kind": rule.reliability_kind,
        "norms": norms or None,
        "reliable_change_points": _number_out(rule.reliable_change_points),
        "notes": rule.notes,
    }
    out: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION, "key": spec.key, "name": spec.name}
    if version_number is not None:
        out["version"] = version_number  # for the reader; an import always makes Pilotti's own numbering
    out |= {
        "description": spec.description,
        **({"names": spec.names} if spec.names else {}),
        **({"descriptions": spec.descriptions} if spec.descriptions else {}),
        "source": spec.source,
        "licence": spec.licence,
        "shows_wording": spec.shows_wording,
        "is_validated": spec.is_validated,
        "languages": list(v.languages),
        "title": v.title,
        "instructions": v.instructions,
        "subscales": [
            {"key": s.key, "name": s.name, "method": s.method, "bands": _bands_out(s.bands)} for s in v.subscales
        ],
        "items": [_item_out(item) for item in v.items],
        "scoring": scoring,
    }
    return out


def dumps(spec: InstrumentSpec, *, version_number: int | None = None) -> str:
    return json.dumps(dump(spec, version_number=version_number), ensure_ascii=False, indent=2) + "\n"
