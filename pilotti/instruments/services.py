"""Writes to instruments and responses. Each is one atomic action recording who did it.

Versioning: ``instrument_save`` compares the new structure with the current version. Equal:
nothing changes. Different and the current version has no responses: it is rewritten in place.
Different and used: a new version is made, and the old one stays as the answers' version.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotti.accounts.models import User
from pilotti.instruments import fileformat, packs, selectors, writes
from pilotti.instruments.models import (
    Answer,
    Band,
    Instrument,
    InstrumentVersion,
    Item,
    Mode,
    Option,
    Response,
    ScoringRule,
    Subscale,
    TranslationPack,
)
from pilotti.instruments.scoring import AnswerValue, Problem, is_blank, problems, score
from pilotti.instruments.spec import BandSpec, InstrumentSpec, ItemType, VersionSpec
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation
from pilotti.people.models import Participant

LIBRARY_DIR = Path(__file__).resolve().parent / "library"


@dataclass
class Saved:
    instrument: Instrument
    version: InstrumentVersion
    outcome: str  # "created", "new_version", "updated", "unchanged"


def _bands(version: InstrumentVersion, bands: tuple[BandSpec, ...], subscale: Subscale | None = None) -> None:
    Band.objects.bulk_create(
        Band(version=version, subscale=subscale, position=n, key=b.key, low=b.low, high=b.high, label=b.label)
        for n, b in enumerate(bands)
    )


def _write_structure(version: InstrumentVersion, spec: VersionSpec) -> None:
    subscales = {}
    for n, sub in enumerate(spec.subscales):
        subscales[sub.key] = Subscale.objects.create(
            version=version, position=n, key=sub.key, name=sub.name, method=sub.method
        )
        _bands(version, sub.bands, subscales[sub.key])
    for n, spec_item in enumerate(spec.items):
        item = Item.objects.create(
            version=version,
            position=n,
            key=spec_item.key,
            type=spec_item.type,
            text=spec_item.text,
            min_value=spec_item.min_value,
            max_value=spec_item.max_value,
            min_label=spec_item.min_label,
            max_label=spec_item.max_label,
            required=spec_item.required,
            reverse_scored=spec_item.reverse_scored,
            subscale=subscales.get(spec_item.subscale),
            is_safety_item=spec_item.is_safety_item,
            scored=spec_item.scored,
        )
        Option.objects.bulk_create(
            Option(item=item, position=m, value=o.value, label=o.label) for m, o in enumerate(spec_item.options)
        )
    rule = spec.scoring
    ScoringRule.objects.create(
        version=version,
        method=rule.method,
        multiplier=rule.multiplier,
        conversion_table=[list(row) for row in rule.conversion_table],
        missing_rule=rule.missing_rule,
        max_missing=rule.max_missing,
        direction=rule.direction,
        clinical_cutoff=rule.clinical_cutoff,
        reliability=rule.reliability,
        reliability_kind=rule.reliability_kind,
        functional_mean=rule.functional_mean,
        functional_sd=rule.functional_sd,
        clinical_mean=rule.clinical_mean,
        clinical_sd=rule.clinical_sd,
        reliable_change_points=rule.reliable_change_points,
        notes=rule.notes,
    )
    _bands(version, rule.bands)


def _clear_structure(version: InstrumentVersion) -> None:
    version.bands.all().delete()
    version.items.all().delete()  # options go with them
    version.subscales.all().delete()
    ScoringRule.objects.filter(version=version).delete()


def _new_version(instrument: Instrument, number: int, spec: VersionSpec, actor: User | None) -> InstrumentVersion:
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        number=number,
        languages=list(spec.languages),
        title=spec.title,
        instructions=spec.instructions,
        created_by=actor,
    )
    _write_structure(version, spec)
    return version


def _free_key(organisation: Organisation | None, wanted: str) -> str:
    base = (slugify(wanted) or "instrument")[:54]
    key, n = base, 2
    while Instrument.objects.filter(organisation=organisation, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def instrument_save(
    *, actor: User | None, organisation: Organisation | None, spec: InstrumentSpec, instrument: Instrument | None = None
) -> Saved:
    """Creates the instrument, or brings an existing one (``instrument``, else the one with the
    spec's key in the organisation) up to the spec, versioning as the module docstring says."""
    if instrument is None:
        instrument = Instrument.objects.filter(organisation=organisation, key=spec.key).first()
    fields = {
        "name": spec.name,
        "description": spec.description,
        "names": spec.names,
        "descriptions": spec.descriptions,
        "source": spec.source,
        "licence": spec.licence,
        "shows_wording": spec.shows_wording,
        "is_validated": spec.is_validated,
    }
    if instrument is None:
        instrument = Instrument.objects.create(
            organisation=organisation, key=_free_key(organisation, spec.key or spec.name), created_by=actor, **fields
        )
        return Saved(instrument, _new_version(instrument, 1, spec.version, actor), "created")
    if instrument.organisation_id != (organisation.pk if organisation else None):
        raise ValidationError(_("This instrument belongs to another organisation."))
    changed_fields = [name for name, value in fields.items() if getattr(instrument, name) != value]
    for name in changed_fields:
        setattr(instrument, name, fields[name])
    if changed_fields:
        instrument.save(update_fields=changed_fields)
    current = selectors.version_with_structure(selectors.current_version(instrument))
    if selectors.spec_of(current) == spec.version:
        return Saved(instrument, current, "updated" if changed_fields else "unchanged")
    if current.is_used:
        return Saved(instrument, _new_version(instrument, current.number + 1, spec.version, actor), "new_version")
    _clear_structure(current)
    current.languages, current.title, current.instructions = (
        list(spec.version.languages),
        spec.version.title,
        spec.version.instructions,
    )
    current.save(update_fields=["languages", "title", "instructions"])
    _write_structure(current, spec.version)
    return Saved(instrument, current, "updated")


def instrument_import(*, actor: User, organisation: Organisation, content: bytes) -> Saved:
    """An uploaded instrument file into the organisation: all of it, or, with any error, nothing
    (``fileformat.FileFormatError`` lists every problem with its path)."""
    spec = fileformat.loads(content)
    return instrument_save(actor=actor, organisation=organisation, spec=spec)


def instrument_export(instrument: Instrument, version: InstrumentVersion | None = None) -> str:
    version = selectors.version_with_structure(version or selectors.current_version(instrument))
    return fileformat.dumps(selectors.instrument_spec(instrument, version), version_number=version.number)


@transaction.atomic
def library_load(directory: Path = LIBRARY_DIR) -> list[tuple[str, str]]:
    """Creates or updates the shipped library from its JSON files. Idempotent: an unchanged file
    changes nothing, and a changed file under a used version makes a new version."""
    results = []
    for path in sorted(directory.glob("*.json")):
        try:
            spec = fileformat.loads(path.read_bytes())
        except fileformat.FileFormatError as error:
            raise fileformat.FileFormatError([f"{path.name}: {e}" for e in error.errors]) from error
        saved = instrument_save(actor=None, organisation=None, spec=spec)
        results.append((saved.instrument.key, saved.outcome))
    return results


# --- Translation packs ---------------------------------------------------------------------


@transaction.atomic
def translation_pack_save(
    *,
    actor: User | None,
    organisation: Organisation,
    version: InstrumentVersion,
    language: str,
    source: str,
    licence: str,
    wording: packs.Wording,
) -> TranslationPack:
    """Adds or replaces the organisation's wording of ``version`` in ``language``, recording who.

    Refused (``FileFormatError``, listing all) when the version has its own wording in the
    language, when a question or option lacks its wording, or without a source and a licence: a
    validated instrument is shown only in a translation whose origin and permission are known."""
    spec = selectors.spec_of(selectors.version_with_structure(version))
    errors = []
    if language in spec.languages:
        errors.append(_("The version has its own wording in this language already."))
    if not source.strip() or not licence.strip():
        errors.append(_("Say where the translation comes from and what its licence allows."))
    errors.extend(packs.missing_wording(spec, wording))
    if errors:
        raise fileformat.FileFormatError(errors)
    pack, _created = TranslationPack.objects.update_or_create(
        organisation=organisation,
        version=version,
        language=language,
        defaults={"source": source.strip(), "licence": licence.strip(), "wording": wording, "updated_by": actor},
    )
    return pack


def translation_pack_import(
    *,
    actor: User | None,
    organisation: Organisation,
    version: InstrumentVersion,
    language: str,
    source: str,
    licence: str,
    content: bytes,
) -> TranslationPack:
    """A pack from an instrument file (the version's export with the language's wording added): its
    structure and scoring must be the version's, and the error names every difference."""
    theirs = fileformat.loads(content).version
    mine = selectors.spec_of(selectors.version_with_structure(version))
    if found := packs.differences(mine, theirs):
        raise fileformat.FileFormatError(
            [_("A translation cannot change the structure or the scoring; nothing was saved."), *found]
        )
    return translation_pack_save(
        actor=actor,
        organisation=organisation,
        version=version,
        language=language,
        source=source,
        licence=licence,
        wording=packs.wording_of(theirs, language),
    )


# --- Responses -----------------------------------------------------------------------------


PROBLEM_MESSAGES = {
    Problem.REQUIRED: gettext_lazy("Answer this question."),
    Problem.NOT_AN_OPTION: gettext_lazy("Choose one of the options."),
    Problem.OUT_OF_RANGE: gettext_lazy("Give a number within the range shown."),
    Problem.NOT_A_WHOLE_NUMBER: gettext_lazy("Give a whole number."),
    Problem.NOT_A_NUMBER: gettext_lazy("Give a number, e.g. 3."),
    Problem.NOT_A_DATE: gettext_lazy("Give a date."),
    Problem.NOT_TEXT: gettext_lazy("Write your answer as text."),
}


def _check_answers(spec: VersionSpec, answers: Mapping[str, AnswerValue], *, partial: bool) -> None:
    found = problems(spec, answers, partial=partial)
    if found:
        raise ValidationError(
            {key: ValidationError(str(PROBLEM_MESSAGES[code]), code=code) for key, code in found.items()}
        )


def _store_score(response: Response, spec: VersionSpec, answers: Mapping[str, AnswerValue]) -> None:
    result = score(spec, answers)
    response.total = result.total
    response.mean_item_score = result.mean
    response.band = response.version.bands.filter(subscale=None, key=result.band).first() if result.band else None
    response.subscale_scores = {key: sub.score for key, sub in result.subscales.items()}
    response.missing_items = list(result.missing_items)
    response.is_prorated = result.prorated
    response.safety_flagged = bool(result.safety_items)


def response_record(
    *,
    version: InstrumentVersion,
    organisation: Organisation,
    answers: Mapping[str, AnswerValue],
    mode: str,
    language: str,
    participant: Participant | None = None,
    meeting: Meeting | None = None,
    actor: User | None = None,
    submitted: bool = True,
    now: datetime | None = None,
) -> Response:
    """Stores one filled questionnaire with its answers and computed scores.

    Raises ValidationError keyed by item key (the code is a ``scoring.Problem``) for missing or
    invalid answers; paper entries and paused answers (``submitted=False``) may leave required
    items blank, and the instrument's missing-items rule decides the total. The response and its
    answers are stored together or not at all (``writes.response_insert``: one statement on
    PostgreSQL, one transaction elsewhere and with multiple-choice answers).
    """
    if version.instrument.organisation_id not in (None, organisation.pk):
        raise ValidationError(_("This instrument belongs to another organisation."))
    if participant is not None and participant.organisation_id != organisation.pk:
        raise ValidationError(_("This participant belongs to another organisation."))
    if participant is not None and mode == Mode.CLIENT_PANEL:
        raise ValidationError(_("Client panel answers are anonymous."))
    version = selectors.version_with_structure(version)
    spec = selectors.spec_of(version)
    _check_answers(spec, answers, partial=mode == Mode.PAPER or not submitted)
    response = Response(
        organisation=organisation,
        version=version,
        participant=participant,
        meeting=meeting,
        mode=mode,
        language=language,
        entered_by=actor,
        submitted_at=(now or timezone.now()) if submitted else None,
    )
    _store_score(response, spec, answers)
    rows = _answer_rows(version, answers)
    if any(chosen is not None for _answer, chosen in rows):  # chosen options are rows of their own
        with transaction.atomic():
            response.save()
            for answer, chosen in rows:
                answer.response = response
                answer.save()
                if chosen is not None:
                    answer.choices.set(chosen)
    else:
        writes.response_insert(response, [answer for answer, _chosen in rows])
    return response


def _answer_rows(
    version: InstrumentVersion, answers: Mapping[str, AnswerValue]
) -> list[tuple[Answer, list[Option] | None]]:
    """The answers to store, each with its chosen options (None unless multiple choice)."""
    items = {item.key: item for item in version.items.all()}  # read with the structure, options included
    rows: list[tuple[Answer, list[Option] | None]] = []
    for key, value in answers.items():
        item = items.get(key)
        if item is None or is_blank(value):
            continue
        answer = Answer(item=item)
        chosen = None
        if item.type == ItemType.FREE_TEXT:
            answer.text = str(value)
        elif item.type == ItemType.DATE and isinstance(value, date):
            answer.date = value
        elif item.type != ItemType.MULTIPLE_CHOICE:
            answer.value = float(str(value).replace(",", "."))
        if item.type == ItemType.MULTIPLE_CHOICE and isinstance(value, list | tuple):
            wanted = {int(v) for v in value}
            chosen = [o for o in item.options.all() if o.value in wanted]
        rows.append((answer, chosen))
    return rows


def answers_of(response: Response) -> dict[str, AnswerValue]:
    """A stored response's answers in the shape ``scoring.score`` takes."""
    answers: dict[str, AnswerValue] = {}
    for answer in response.answers.select_related("item").prefetch_related("choices"):
        item = answer.item
        if item.type == ItemType.MULTIPLE_CHOICE:
            answers[item.key] = [option.value for option in answer.choices.all()]
        elif item.type == ItemType.FREE_TEXT:
            answers[item.key] = answer.text
        elif item.type == ItemType.DATE:
            answers[item.key] = answer.date
        else:
            answers[item.key] = answer.value
    return answers


@transaction.atomic
def response_rescore(response: Response) -> Response:
    """Recomputes the stored scores from the answers (e.g. after a scoring fix in the library)."""
    spec = selectors.spec_of(selectors.version_with_structure(response.version))
    _store_score(response, spec, answers_of(response))
    response.save()
    return response
