"""Translation packs: an organisation's licensed or official wording of a validated version in one language.

Pure functions over ``spec.VersionSpec`` (no database), as ``scoring.py``:

- ``differences`` names every way a pack's file differs from the version in structure or scoring,
  "item 3 has 5 options in the version, 4 in the pack": a translation may change words, never what
  is asked or how it counts, or the answers would no longer be comparable (docs/instruments.md).
- ``wording_of`` takes one language's wording out of a file, and ``missing_wording`` says what it lacks.
- ``applied`` gives the version with the packs' languages added, for the answering pages.

A pack's wording is stored as ``Wording``: {"title", "instructions", "items": {key: {"text",
"min_label", "max_label", "options": {value: label}}}}, every text in the pack's language only.
"""

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from pilotti.instruments.spec import BandSpec, ItemSpec, ItemType, OptionSpec, VersionSpec

Wording = dict[str, Any]

_ITEM_FIELDS: dict[str, Callable[[], str]] = {
    "key": lambda: _("key"),
    "type": lambda: _("type"),
    "min_value": lambda: _("lowest value"),
    "max_value": lambda: _("highest value"),
    "required": lambda: _("required"),
    "reverse_scored": lambda: _("reverse scoring"),
    "subscale": lambda: _("subscale"),
    "is_safety_item": lambda: _("safety item"),
    "scored": lambda: _("counting in the score"),
}


def _shown(value: object) -> str:
    if value is None or value == "":
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _differ(what: str, in_version: object, in_pack: object) -> str:
    return _("%(what)s is %(version)s in the version, %(pack)s in the pack") % {
        "what": what,
        "version": _shown(in_version),
        "pack": _shown(in_pack),
    }


def _bands_bare(bands: tuple[BandSpec, ...]) -> tuple[tuple[str, float, float], ...]:
    return tuple((band.key, band.low, band.high) for band in bands)


def _item_differences(n: int, mine: ItemSpec, theirs: ItemSpec) -> list[str]:
    found = []
    for name, label in _ITEM_FIELDS.items():
        if getattr(mine, name) != getattr(theirs, name):
            what = _("item %(n)d: %(field)s") % {"n": n, "field": label()}
            found.append(_differ(what, getattr(mine, name), getattr(theirs, name)))
    if len(mine.options) != len(theirs.options):
        found.append(
            _("item %(n)d has %(version)d options in the version, %(pack)d in the pack")
            % {"n": n, "version": len(mine.options), "pack": len(theirs.options)}
        )
    elif [o.value for o in mine.options] != [o.value for o in theirs.options]:
        found.append(
            _differ(
                _("item %(n)d: option values") % {"n": n},
                ", ".join(str(o.value) for o in mine.options),
                ", ".join(str(o.value) for o in theirs.options),
            )
        )
    return found


def differences(version: VersionSpec, pack: VersionSpec) -> list[str]:
    """Every difference in structure or scoring, numbered as people count items (from 1); empty when
    only the wording differs."""
    found: list[str] = []
    if len(version.items) != len(pack.items):
        found.append(
            _("the version has %(version)d items, the pack %(pack)d")
            % {"version": len(version.items), "pack": len(pack.items)}
        )
    for n, (mine, theirs) in enumerate(zip(version.items, pack.items, strict=False), start=1):
        found.extend(_item_differences(n, mine, theirs))
    mine_subscales = [(s.key, s.method, _bands_bare(s.bands)) for s in version.subscales]
    their_subscales = [(s.key, s.method, _bands_bare(s.bands)) for s in pack.subscales]
    if mine_subscales != their_subscales:
        found.append(
            _differ(
                _("subscales"),
                ", ".join(s.key for s in version.subscales),
                ", ".join(s.key for s in pack.subscales),
            )
        )
    mine_rule = dataclasses.replace(version.scoring, bands=(), notes="")
    their_rule = dataclasses.replace(pack.scoring, bands=(), notes="")
    for rule_field in dataclasses.fields(mine_rule):
        if getattr(mine_rule, rule_field.name) != getattr(their_rule, rule_field.name):
            what = _("scoring: %(field)s") % {"field": rule_field.name}
            found.append(_differ(what, getattr(mine_rule, rule_field.name), getattr(their_rule, rule_field.name)))
    if _bands_bare(version.scoring.bands) != _bands_bare(pack.scoring.bands):
        found.append(
            _differ(
                _("scoring: bands"),
                ", ".join(f"{_shown(b.low)}–{_shown(b.high)}" for b in version.scoring.bands),
                ", ".join(f"{_shown(b.low)}–{_shown(b.high)}" for b in pack.scoring.bands),
            )
        )
    return found


def wording_of(spec: VersionSpec, language: str) -> Wording:
    """One language's wording of a version (a pack's file, or the version itself for the editor)."""
    items: dict[str, Any] = {}
    for item in spec.items:
        entry: dict[str, Any] = {"text": item.text.get(language, "")}
        if item.type == ItemType.SCALE:
            entry["min_label"] = item.min_label.get(language, "")
            entry["max_label"] = item.max_label.get(language, "")
        if item.options:
            entry["options"] = {str(o.value): o.label.get(language, "") for o in item.options}
        items[item.key] = entry
    return {
        "title": spec.title.get(language, ""),
        "instructions": spec.instructions.get(language, ""),
        "items": items,
    }


def missing_wording(spec: VersionSpec, wording: Wording) -> list[str]:
    """What a pack lacks: every question needs its text and every option its label, as a version's
    listed language does (fileformat's ``_check_languages``)."""
    found = []
    items = wording.get("items", {})
    for n, item in enumerate(spec.items, start=1):
        entry = items.get(item.key, {})
        if not entry.get("text"):
            found.append(_("item %(n)d has no text") % {"n": n})
        labels = entry.get("options", {})
        found.extend(
            _("item %(n)d: the option %(value)d has no label") % {"n": n, "value": o.value}
            for o in item.options
            if not labels.get(str(o.value))
        )
    return found


def _with(text: dict[str, str], language: str, wording: str) -> dict[str, str]:
    return {**text, language: wording} if wording else text


def _item_with(item: ItemSpec, language: str, entry: dict[str, Any]) -> ItemSpec:
    labels = entry.get("options", {})
    return dataclasses.replace(
        item,
        text=_with(item.text, language, entry.get("text", "")),
        min_label=_with(item.min_label, language, entry.get("min_label", "")),
        max_label=_with(item.max_label, language, entry.get("max_label", "")),
        options=tuple(
            OptionSpec(value=o.value, label=_with(o.label, language, labels.get(str(o.value), "")))
            for o in item.options
        ),
    )


def applied(spec: VersionSpec, packs: Iterable[tuple[str, Wording]]) -> VersionSpec:
    """The version with each pack's (language, wording) added; a language the version already has
    keeps the version's own wording."""
    for language, wording in packs:
        if language in spec.languages:
            continue
        items = wording.get("items", {})
        spec = dataclasses.replace(
            spec,
            items=tuple(_item_with(item, language, items.get(item.key, {})) for item in spec.items),
            languages=(*spec.languages, language),
            title=_with(spec.title, language, wording.get("title", "")),
            instructions=_with(spec.instructions, language, wording.get("instructions", "")),
        )
    return spec
