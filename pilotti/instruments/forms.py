"""The instrument editor: the instrument, its items (a formset) and its scoring rule.

The editor edits the wording in one language at a time; texts in other languages are kept.
What the forms produce is checked by the same validation as an imported file
(``fileformat.parse``), so a rule holds however an instrument was made.
"""

import re
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotti.core import uploads
from pilotti.instruments.fileformat import FileFormatError, dump, parse
from pilotti.instruments.models import DIRECTIONS, ITEM_TYPES, METHODS, MISSING_RULES, RELIABILITY_KINDS
from pilotti.instruments.spec import (
    PARTICIPANT_LANGUAGES,
    BandSpec,
    InstrumentSpec,
    ItemSpec,
    ItemType,
    Method,
    OptionSpec,
    ScoringSpec,
    SubscaleSpec,
    Text,
    VersionSpec,
)

OPTION_LINE = re.compile(r"^\s*(?P<value>-?\d+)\s*=\s*(?P<label>.*?)\s*$")
BAND_LINE = re.compile(r"^\s*(?P<low>-?\d+(?:[.,]\d+)?)\s*[-–]\s*(?P<high>-?\d+(?:[.,]\d+)?)\s*=\s*(?P<label>.+?)\s*$")
LANGUAGE_NAMES = {
    "fi": gettext_lazy("Finnish"),
    "sv": gettext_lazy("Swedish"),
    "en": gettext_lazy("English"),
    "ar": gettext_lazy("Arabic"),
    "so": gettext_lazy("Somali"),
    "fa": gettext_lazy("Dari/Persian"),
    "ru": gettext_lazy("Russian"),
    "uk": gettext_lazy("Ukrainian"),
}
LANGUAGE_CHOICES = [(code, LANGUAGE_NAMES[code]) for code in PARTICIPANT_LANGUAGES]


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _with(text: Text, language: str, value: str) -> Text:
    merged = {k: v for k, v in text.items() if k != language}
    if value.strip():
        merged[language] = value.strip()
    return merged


def _float(value: str) -> float:
    return float(value.replace(",", "."))


class LanguageForm(forms.Form):
    """Which language's wording the editor shows (a GET form above the editor)."""

    language = forms.ChoiceField(label=gettext_lazy("Edit the wording in"), choices=LANGUAGE_CHOICES)


class InstrumentForm(forms.Form):
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        help_text=gettext_lazy("Citation or owner."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    licence = forms.CharField(label=gettext_lazy("Licence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    shows_wording = forms.BooleanField(label=gettext_lazy("The wording may be shown"), required=False)
    is_validated = forms.BooleanField(label=gettext_lazy("Validated instrument"), required=False)
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages with complete wording"),
        help_text=gettext_lazy("Participants are offered the questionnaire only in these languages."),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    title = forms.CharField(label=gettext_lazy("Title shown to participants"), max_length=200, required=False)
    instructions = forms.CharField(
        label=gettext_lazy("Instructions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ScoringForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("Scoring method"), choices=METHODS)
    multiplier = forms.FloatField(
        label=gettext_lazy("Multiplier"), help_text=gettext_lazy("For a scaled sum, e.g. 4."), required=False
    )
    missing_rule = forms.ChoiceField(label=gettext_lazy("Missing items"), choices=MISSING_RULES)
    max_missing = forms.IntegerField(
        label=gettext_lazy("Items that may be missing when prorating"), min_value=0, max_value=50, required=False
    )
    direction = forms.ChoiceField(label=gettext_lazy("Direction of improvement"), choices=DIRECTIONS)
    bands = forms.CharField(
        label=gettext_lazy("Bands"),
        help_text=gettext_lazy("One band a line, both ends included: 0-4 = minimal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    clinical_cutoff = forms.FloatField(
        label=gettext_lazy("Clinical cut-off"),
        help_text=gettext_lazy("Scores at or beyond it, in the worse direction, are in the clinical range."),
        required=False,
    )
    reliability = forms.FloatField(
        label=gettext_lazy("Reliability"),
        help_text=gettext_lazy("E.g. 0.89."),
        min_value=0,
        max_value=0.999,
        required=False,
    )
    reliability_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of reliability"), choices=RELIABILITY_KINDS, required=False
    )
    functional_mean = forms.FloatField(label=gettext_lazy("Norm mean, general population"), required=False)
    functional_sd = forms.FloatField(label=gettext_lazy("Norm SD, general population"), min_value=0, required=False)
    clinical_mean = forms.FloatField(label=gettext_lazy("Norm mean, clinical population"), required=False)
    clinical_sd = forms.FloatField(label=gettext_lazy("Norm SD, clinical population"), min_value=0, required=False)
    reliable_change_points = forms.FloatField(
        label=gettext_lazy("Published reliable change in points"), min_value=0, required=False
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes on scoring"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean_bands(self) -> list[tuple[float, float, str]]:
        bands = []
        for number, line in enumerate(_lines(self.cleaned_data["bands"]), start=1):
            match = BAND_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("Line %(number)d: write the range, an equals sign and a name, e.g. 0-4 = minimal.")
                    % {"number": number}
                )
            bands.append((_float(match["low"]), _float(match["high"]), match["label"]))
        return bands


class ItemForm(forms.Form):
    key = forms.SlugField(label=gettext_lazy("Key"), max_length=60, required=False)
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=ITEM_TYPES, initial=ItemType.SCALE)
    text = forms.CharField(label=gettext_lazy("Question"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    options = forms.CharField(
        label=gettext_lazy("Options"),
        help_text=gettext_lazy("For choice items, one a line: value = label, e.g. 0 = Not at all"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    min_value = forms.FloatField(label=gettext_lazy("Lowest value"), required=False)
    max_value = forms.FloatField(label=gettext_lazy("Highest value"), required=False)
    min_label = forms.CharField(label=gettext_lazy("Label of the lowest value"), max_length=200, required=False)
    max_label = forms.CharField(label=gettext_lazy("Label of the highest value"), max_length=200, required=False)
    subscale = forms.SlugField(label=gettext_lazy("Subscale"), max_length=60, required=False)
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False, initial=True)
    reverse_scored = forms.BooleanField(label=gettext_lazy("Reverse-scored"), required=False)
    is_safety_item = forms.BooleanField(
        label=gettext_lazy("Safety item (an answer above zero raises an alert)"), required=False
    )
    scored = forms.BooleanField(label=gettext_lazy("Counts in the score"), required=False, initial=True)

    def clean_options(self) -> list[tuple[int, str]]:
        options = []
        for number, line in enumerate(_lines(self.cleaned_data["options"]), start=1):
            match = OPTION_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("Line %(number)d: write a whole number, an equals sign and the label, e.g. 0 = Not at all.")
                    % {"number": number}
                )
            options.append((int(match["value"]), match["label"]))
        return options


# django-stubs makes the base generic; subscripting it at run time needs django-stubs-ext, which
# only the development install has.
class BaseItemFormSet(forms.BaseFormSet):  # type: ignore[type-arg]  # the form class comes from formset_factory
    def clean(self) -> None:
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("Add at least one question."))


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=2, can_delete=True, can_order=True, max_num=200, validate_max=True
)


def initial_for(spec: InstrumentSpec, language: str) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """Initial data of the three forms from an instrument, with the wording in ``language``."""
    version, rule = spec.version, spec.version.scoring
    instrument = {
        "language": language,
        "name": spec.names.get(language, spec.name),
        "description": spec.descriptions.get(language, spec.description),
        "source": spec.source,
        "licence": spec.licence,
        "shows_wording": spec.shows_wording,
        "is_validated": spec.is_validated,
        "languages": list(version.languages),
        "title": version.title.get(language, ""),
        "instructions": version.instructions.get(language, ""),
    }
    scoring = {name: getattr(rule, name) for name in ScoringForm.base_fields if hasattr(rule, name) and name != "bands"}
    scoring["bands"] = "\n".join(f"{_n(b.low)}-{_n(b.high)} = {b.label.get(language, b.key)}" for b in rule.bands)
    items = [
        {
            "key": item.key,
            "type": item.type,
            "text": item.text.get(language, ""),
            "options": "\n".join(f"{o.value} = {o.label.get(language, '')}" for o in item.options),
            "min_value": item.min_value,
            "max_value": item.max_value,
            "min_label": item.min_label.get(language, ""),
            "max_label": item.max_label.get(language, ""),
            "subscale": item.subscale,
            "required": item.required,
            "reverse_scored": item.reverse_scored,
            "is_safety_item": item.is_safety_item,
            "scored": item.scored,
            "ORDER": n,
        }
        for n, item in enumerate(version.items, start=1)
    ]
    return instrument, scoring, items


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _items(base: VersionSpec | None, language: str, formset: Any) -> tuple[ItemSpec, ...]:
    previous = {item.key: item for item in base.items} if base else {}
    items: list[ItemSpec] = []
    for form in formset.ordered_forms if formset.can_order else formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        key = data["key"] or f"q{len(items) + 1}"
        old = previous.get(key)
        old_labels = {o.value: o.label for o in old.options} if old else {}
        items.append(
            ItemSpec(
                key=key,
                type=data["type"],
                text=_with(old.text if old else {}, language, data["text"]),
                options=tuple(
                    OptionSpec(value, _with(old_labels.get(value, {}), language, label))
                    for value, label in data["options"]
                ),
                min_value=data["min_value"],
                max_value=data["max_value"],
                min_label=_with(old.min_label if old else {}, language, data["min_label"]),
                max_label=_with(old.max_label if old else {}, language, data["max_label"]),
                required=data["required"],
                reverse_scored=data["reverse_scored"],
                subscale=data["subscale"],
                is_safety_item=data["is_safety_item"],
                scored=data["scored"],
            )
        )
    return tuple(items)


def _bands(base: ScoringSpec | None, language: str, lines: list[tuple[float, float, str]]) -> tuple[BandSpec, ...]:
    previous = {(b.low, b.high): b for b in base.bands} if base else {}
    bands = []
    for n, (low, high, label) in enumerate(lines, start=1):
        old = previous.get((low, high))
        key = old.key if old else (slugify(label)[:60] or f"band-{n}")
        bands.append(BandSpec(key=key, low=low, high=high, label=_with(old.label if old else {}, language, label)))
    return tuple(bands)


def build_spec(
    base: InstrumentSpec | None, instrument_form: InstrumentForm, scoring_form: ScoringForm, formset: Any
) -> InstrumentSpec:
    """The edited instrument, checked like an imported file. Raises FileFormatError."""
    language = instrument_form.cleaned_data["language"]
    data, rule = instrument_form.cleaned_data, scoring_form.cleaned_data
    old = base.version if base else None
    items = _items(old, language, formset)
    previous_subscales = {s.key: s for s in old.subscales} if old else {}
    subscales = tuple(
        previous_subscales.get(key) or SubscaleSpec(key=key, name={language: key})
        for key in dict.fromkeys(item.subscale for item in items if item.subscale)
    )
    old_rule = old.scoring if old else None
    scoring = ScoringSpec(
        method=rule["method"],
        multiplier=rule["multiplier"],
        conversion_table=old_rule.conversion_table if old_rule and rule["method"] == Method.SCALED else (),
        missing_rule=rule["missing_rule"],
        max_missing=rule["max_missing"] or 0,
        direction=rule["direction"],
        bands=_bands(old_rule, language, rule["bands"]),
        clinical_cutoff=rule["clinical_cutoff"],
        reliability=rule["reliability"],
        reliability_kind=rule["reliability_kind"] or "",
        functional_mean=rule["functional_mean"],
        functional_sd=rule["functional_sd"],
        clinical_mean=rule["clinical_mean"],
        clinical_sd=rule["clinical_sd"],
        reliable_change_points=rule["reliable_change_points"],
        notes=rule["notes"],
    )
    spec = InstrumentSpec(
        key=base.key if base else (slugify(data["name"])[:60] or "instrument"),
        name=data["name"],
        description=data["description"],
        source=data["source"],
        licence=data["licence"],
        shows_wording=data["shows_wording"],
        is_validated=data["is_validated"],
        # The name and description typed are those of the language being edited.
        names=_with(base.names if base else {}, language, data["name"]),
        descriptions=_with(base.descriptions if base else {}, language, data["description"]),
        version=VersionSpec(
            items=items,
            scoring=scoring,
            subscales=subscales,
            languages=tuple(code for code in PARTICIPANT_LANGUAGES if code in data["languages"]),
            title=_with(old.title if old else {}, language, data["title"]),
            instructions=_with(old.instructions if old else {}, language, data["instructions"]),
        ),
    )
    return parse(dump(spec))  # the file format's checks, e.g. options of a choice item


def add_spec_errors(error: FileFormatError, instrument_form: InstrumentForm, formset: Any) -> None:
    """File-format errors onto the forms: ``items[3]…`` onto the fourth question, the rest on top."""
    kept = [
        form
        for form in (formset.ordered_forms if formset.can_order else formset.forms)
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    for message in error.errors:
        match = re.match(r"^items\[(\d+)\]", message)
        if match and int(match[1]) < len(kept):
            kept[int(match[1])].add_error(None, message)
        else:
            instrument_form.add_error(None, message)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Instrument file (JSON)"),
        help_text=gettext_lazy("A file exported from Pilotti, or written by the format in the documentation."),
    )

    MAX_BYTES = 1024 * 1024  # shown to the user as "1.0 MB"

    def clean_file(self) -> bytes:
        content = uploads.read_upload(self.cleaned_data["file"], max_bytes=self.MAX_BYTES)
        uploads.check_json_depth(content)  # before json.loads, whose recursion it would exhaust
        return content


# --- Translation packs ------------------------------------------------------------------------


class PackForm(forms.Form):
    """A translation pack's language, origin and licence; with a file when imported."""

    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=LANGUAGE_CHOICES)
    source = forms.CharField(
        label=gettext_lazy("Source of the translation"),
        help_text=gettext_lazy("Who translated it and where it is published, e.g. the owner's official translation."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    licence = forms.CharField(
        label=gettext_lazy("Licence"),
        help_text=gettext_lazy("What the owner allows your organisation, e.g. a written permission and its date."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args: Any, languages: list[str], with_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        if isinstance(language, forms.ChoiceField):  # only languages the version lacks
            language.choices = [(code, name) for code, name in LANGUAGE_CHOICES if code in languages]
        if with_file:
            self.fields["file"] = forms.FileField(
                label=gettext_lazy("Instrument file (JSON) with the translation"),
                help_text=gettext_lazy(
                    "Export the instrument, add the wording in the language to every question and option, "
                    "and upload it here. The questions, options and scoring must stay as they are."
                ),
            )

    def clean_file(self) -> bytes:
        content = uploads.read_upload(self.cleaned_data["file"], max_bytes=ImportForm.MAX_BYTES)
        uploads.check_json_depth(content)
        return content


def _reference(text: Text, languages: tuple[str, ...]) -> str:
    """The wording staff translate from: the page's language if the version has it, else its first,
    marked as the language it is in (a screen reader reads it so, and the page stays one language)."""
    code = next((code for code in languages if text.get(code)), None)
    return format_html('<span lang="{}">{}</span>', code, text[code]) if code is not None else ""


class PackWordingForm(forms.Form):
    """One field per text of the version in the pack's language, each with the version's own wording
    beside it; the field names are the ``packs.Wording`` paths."""

    def __init__(self, *args: Any, spec: VersionSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        seen = tuple(spec.languages)
        self.fields["title"] = forms.CharField(
            label=gettext_lazy("Title"), required=False, help_text=_reference(spec.title, seen), max_length=300
        )
        self.fields["instructions"] = forms.CharField(
            label=gettext_lazy("Instructions"),
            required=False,
            help_text=_reference(spec.instructions, seen),
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        for n, item in enumerate(spec.items, start=1):
            self.fields[f"{item.key}.text"] = forms.CharField(
                label=_("Question %(n)d") % {"n": n},
                help_text=_reference(item.text, seen),
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
            )
            if item.type == ItemType.SCALE:
                for end, text, label in (
                    ("min_label", item.min_label, _("Question %(n)d: label of the lowest value")),
                    ("max_label", item.max_label, _("Question %(n)d: label of the highest value")),
                ):
                    self.fields[f"{item.key}.{end}"] = forms.CharField(
                        label=label % {"n": n}, help_text=_reference(text, seen), required=False, max_length=300
                    )
            for option in item.options:
                self.fields[f"{item.key}.options.{option.value}"] = forms.CharField(
                    label=_("Question %(n)d: option %(value)d") % {"n": n, "value": option.value},
                    help_text=_reference(option.label, seen),
                    max_length=300,
                )

    def wording(self) -> dict[str, Any]:
        data = self.cleaned_data
        items: dict[str, Any] = {}
        for item in self.spec.items:
            entry: dict[str, Any] = {"text": data.get(f"{item.key}.text", "")}
            if item.type == ItemType.SCALE:
                entry["min_label"] = data.get(f"{item.key}.min_label", "")
                entry["max_label"] = data.get(f"{item.key}.max_label", "")
            if item.options:
                entry["options"] = {str(o.value): data.get(f"{item.key}.options.{o.value}", "") for o in item.options}
            items[item.key] = entry
        return {"title": data.get("title", ""), "instructions": data.get("instructions", ""), "items": items}


def pack_initial(wording: dict[str, Any]) -> dict[str, str]:
    """A stored pack's wording as the editor's initial values."""
    initial = {"title": wording.get("title", ""), "instructions": wording.get("instructions", "")}
    for key, entry in wording.get("items", {}).items():
        for name in ("text", "min_label", "max_label"):
            initial[f"{key}.{name}"] = entry.get(name, "")
        for value, label in entry.get("options", {}).items():
            initial[f"{key}.options.{value}"] = label
    return initial
