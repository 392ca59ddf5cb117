"""Reads of instruments and responses: one scoping function per model, the only door.

- Every signed-in staff member sees the shipped library (instruments without an organisation).
- Members of an organisation, in any role, see its own instruments.
- Admins and coordinators create, edit and import their organisation's instruments.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet

from pilotti.instruments import packs
from pilotti.instruments.models import (
    Answer,
    Band,
    Instrument,
    InstrumentVersion,
    Item,
    Response,
    ScoringRule,
    TranslationPack,
)
from pilotti.instruments.spec import (
    BandSpec,
    InstrumentSpec,
    ItemSpec,
    OptionSpec,
    ScoringSpec,
    SubscaleSpec,
    VersionSpec,
)
from pilotti.organisations.models import Organisation, Role
from pilotti.organisations.viewer import Viewer

MANAGER_ROLES = (Role.ADMIN, Role.COORDINATOR)
RESPONSE_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.EVALUATOR)


def instruments_visible_to(viewer: Viewer) -> QuerySet[Instrument]:
    return Instrument.objects.filter(organisation__isnull=True) | Instrument.objects.filter(
        organisation__in=viewer.organisation_ids()
    )


def can_manage_instruments(viewer: Viewer, organisation: Organisation | None) -> bool:
    """May create and import instruments for this organisation."""
    return (
        organisation is not None and viewer.memberships(MANAGER_ROLES).filter(organisation_id=organisation.pk).exists()
    )


def can_edit_instrument(viewer: Viewer, instrument: Instrument) -> bool:
    """The library changes only through its files; an organisation's own, by its admins and coordinators."""
    return instrument.organisation is not None and can_manage_instruments(viewer, instrument.organisation)


def instrument_list(viewer: Viewer) -> QuerySet[Instrument]:
    return instruments_visible_to(viewer).select_related("organisation").order_by("organisation_id", "name")


def versions_of(instrument: Instrument) -> QuerySet[InstrumentVersion]:
    return instrument.versions.order_by("-number")


def current_version(instrument: Instrument) -> InstrumentVersion:
    version = versions_of(instrument).first()
    if version is None:  # never: an instrument is created with its first version
        raise InstrumentVersion.DoesNotExist(instrument.key)
    return version


def structure_prefetches() -> list[Prefetch[Any]]:
    """The prefetches of a version's structure, for a queryset of versions."""
    return [
        Prefetch("items", queryset=Item.objects.select_related("subscale").prefetch_related("options")),
        Prefetch("subscales"),
        Prefetch("bands", queryset=Band.objects.select_related("subscale")),
    ]


def version_with_structure(version: InstrumentVersion) -> InstrumentVersion:
    """The version with its items, options, subscales, bands and rule, in a fixed number of queries;
    a version already read with its structure is returned as it is, so that the view, the
    service and the scoring of one request read it once."""
    if {"items", "subscales", "bands"} <= getattr(version, "_prefetched_objects_cache", {}).keys():
        return version
    return (
        InstrumentVersion.objects.filter(pk=version.pk)
        .select_related("instrument", "scoring")
        .prefetch_related(*structure_prefetches())
        .get()
    )


# Versions recently answered through the client panel, with their instrument, scoring rule and
# structure: a full room answers the same version hundreds of times a minute. A version's wording
# and structure change only as a whole (``services.instrument_save`` clears the structure and
# writes it again, with a new scoring rule, while no one has answered), and sequences and SQLite's
# AUTOINCREMENT never hand out a rule's id twice, so the rule's id tells a changed version; the
# instrument's name (the title where the version has none) can change alone, so it is in the key
# too, and the version's uuid keeps test databases, which roll ids back, apart.
AnsweringKey = tuple[int, str, int, str]  # version id, version uuid (hex), scoring rule id, instrument name
_ANSWERING: dict[AnsweringKey, InstrumentVersion] = {}
_ANSWERING_KEPT = 64
_SPEC = "_pilotti_answering_spec"  # the spec of a version kept here, which never changes


def answering_key(version: InstrumentVersion) -> AnsweringKey | None:
    """The key of ``version_for_answering`` for a version read with its instrument and rule."""
    rule = version._state.fields_cache.get("scoring")
    if rule is None:  # no rule: nothing tells a change
        return None
    return version.pk, version.uuid.hex, rule.pk, version.instrument.name


def version_for_answering(version_id: int, key: AnsweringKey | None) -> InstrumentVersion:
    """The version with its instrument, rule and structure, as ``version_with_structure`` reads it;
    from this process's memory when ``key`` (read with the row that points at the version) was
    read before. Shared between requests: never change it."""
    version = _ANSWERING.get(key) if key else None
    if version is None:
        version = version_with_structure(InstrumentVersion(pk=version_id))
        read_key = answering_key(version)  # if the version changed since ``key``, the new one
        if read_key is not None:
            if len(_ANSWERING) >= _ANSWERING_KEPT:
                del _ANSWERING[next(iter(_ANSWERING))]  # the oldest
            setattr(version, _SPEC, spec_of(version))  # the view, the service and the scoring each ask
            _ANSWERING[read_key] = version
    return version


def _bands(bands: list[Band]) -> tuple[BandSpec, ...]:
    return tuple(BandSpec(key=b.key, low=b.low, high=b.high, label=b.label) for b in bands)


def scoring_spec(rule: ScoringRule | None, bands: list[Band]) -> ScoringSpec:
    """A version's scoring rule and bands as the pure scoring functions take them."""
    if rule is None:
        return ScoringSpec()
    return ScoringSpec(
        method=rule.method,
        multiplier=rule.multiplier,
        conversion_table=tuple((int(raw), float(converted)) for raw, converted in rule.conversion_table),
        missing_rule=rule.missing_rule,
        max_missing=rule.max_missing,
        direction=rule.direction,
        bands=_bands([b for b in bands if b.subscale_id is None]),
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


def spec_of(version: InstrumentVersion) -> VersionSpec:
    """The version as plain data for ``scoring.score`` and export. Pass a version from
    ``version_with_structure`` to read it without further queries."""
    kept: VersionSpec | None = getattr(version, _SPEC, None)
    if kept is not None:
        return kept
    bands = list(version.bands.all())
    items = tuple(
        ItemSpec(
            key=item.key,
            type=item.type,
            text=item.text,
            options=tuple(OptionSpec(value=o.value, label=o.label) for o in item.options.all()),
            min_value=item.min_value,
            max_value=item.max_value,
            min_label=item.min_label,
            max_label=item.max_label,
            required=item.required,
            reverse_scored=item.reverse_scored,
            subscale=item.subscale.key if item.subscale else "",
            is_safety_item=item.is_safety_item,
            scored=item.scored,
        )
        for item in version.items.all()
    )
    subscales = tuple(
        SubscaleSpec(key=s.key, name=s.name, method=s.method, bands=_bands([b for b in bands if b.subscale_id == s.pk]))
        for s in version.subscales.all()
    )
    try:
        rule: ScoringRule | None = version.scoring
    except ScoringRule.DoesNotExist:
        rule = None
    return VersionSpec(
        items=items,
        scoring=scoring_spec(rule, bands),
        subscales=subscales,
        languages=tuple(version.languages),
        title=version.title,
        instructions=version.instructions,
    )


def instrument_spec(instrument: Instrument, version: InstrumentVersion) -> InstrumentSpec:
    return InstrumentSpec(
        key=instrument.key,
        name=instrument.name,
        version=spec_of(version),
        description=instrument.description,
        source=instrument.source,
        licence=instrument.licence,
        shows_wording=instrument.shows_wording,
        is_validated=instrument.is_validated,
        names=instrument.names,
        descriptions=instrument.descriptions,
    )


def with_answers(responses: QuerySet[Response]) -> QuerySet[Response]:
    """Responses with their answers, items, choices, instrument, person, meeting and band, in four queries."""
    answers = Answer.objects.select_related("item").prefetch_related("choices")
    return responses.select_related("version__instrument", "participant", "meeting", "band").prefetch_related(
        Prefetch("answers", queryset=answers)
    )


def with_answers_of(response: Response) -> Response:
    """A response just written, read back with its answers for the one who wrote it."""
    return with_answers(Response.objects.filter(pk=response.pk)).get()


def responses_visible_to(viewer: Viewer) -> QuerySet[Response]:
    """Admins, coordinators and evaluators see their organisations' responses. Part B (answering)
    refines this for facilitators (their units' meetings and participants)."""
    return Response.objects.filter(organisation__in=viewer.organisation_ids(RESPONSE_ROLES))


def translation_packs(organisation_id: int | None, version: InstrumentVersion) -> QuerySet[TranslationPack]:
    """An organisation's translation packs of a version: its own only, as its licence is its own."""
    if organisation_id is None:  # a staff member outside any organisation: none
        return TranslationPack.objects.none()
    return TranslationPack.objects.filter(organisation_id=organisation_id, version=version).select_related("updated_by")


def pack_languages(organisation_id: int | None, versions: list[InstrumentVersion]) -> dict[int, list[str]]:
    """The languages an organisation's packs add to each version, in one query."""
    found: dict[int, list[str]] = {}
    if organisation_id is None:
        return found
    rows = TranslationPack.objects.filter(organisation_id=organisation_id, version__in=versions)
    for version_id, language in rows.order_by("language").values_list("version_id", "language"):
        found.setdefault(version_id, []).append(language)
    return found


def spec_for_organisation(version: InstrumentVersion, organisation_id: int, language: str) -> VersionSpec:
    """The version as an organisation's answering page shows it in ``language``: with the
    organisation's packs when the version has no wording of its own in that language (all of them,
    so that a page saying "not in your language" offers the packs' languages too)."""
    spec = spec_of(version)
    if language in spec.languages:  # no query on the usual path
        return spec
    rows = TranslationPack.objects.filter(organisation_id=organisation_id, version=version).order_by("language")
    return packs.applied(spec, rows.values_list("language", "wording"))
