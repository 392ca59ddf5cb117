"""Thin views: the instrument comes through a selector (404 for what the user may not see),
the right to change it is checked (403 for a visible instrument the user may only read), and a
service writes."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext, gettext_lazy

from pilotti.instruments import selectors, services
from pilotti.instruments.fileformat import FileFormatError
from pilotti.instruments.forms import (
    LANGUAGE_CHOICES,
    LANGUAGE_NAMES,
    ImportForm,
    InstrumentForm,
    ItemFormSet,
    LanguageForm,
    PackForm,
    PackWordingForm,
    ScoringForm,
    add_spec_errors,
    build_spec,
    initial_for,
    pack_initial,
)
from pilotti.instruments.models import Instrument, InstrumentVersion
from pilotti.instruments.spec import PARTICIPANT_LANGUAGES, InstrumentSpec, VersionSpec
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Organisation

OUTCOME_MESSAGES = {
    "created": gettext_lazy("The instrument %(name)s was created."),
    "new_version": gettext_lazy(
        "Answers were given on the earlier version, so your changes became version %(number)d."
    ),
    "updated": gettext_lazy("Your changes were saved."),
    "unchanged": gettext_lazy("Nothing had changed."),
}


def _instrument(request: AuthenticatedHttpRequest, instrument_uuid: UUID, *, edit: bool = False) -> Instrument:
    instrument = get_object_or_404(
        selectors.instruments_visible_to(request.viewer).select_related("organisation"), uuid=instrument_uuid
    )
    if edit and not selectors.can_edit_instrument(request.viewer, instrument):
        raise PermissionDenied
    return instrument


def _version(request: AuthenticatedHttpRequest, instrument: Instrument) -> InstrumentVersion:
    number = request.GET.get("version", "")
    if not number:
        return selectors.current_version(instrument)
    if not number.isdigit():
        raise Http404
    return get_object_or_404(instrument.versions, number=int(number))


def _wording_language(request: AuthenticatedHttpRequest) -> str:
    wanted = request.POST.get("language") or request.GET.get("language") or get_language() or "fi"
    return wanted if wanted in PARTICIPANT_LANGUAGES else "fi"


def _saved_message(request: AuthenticatedHttpRequest, saved: services.Saved) -> None:
    text = str(OUTCOME_MESSAGES[saved.outcome]) % {"name": saved.instrument.local_name, "number": saved.version.number}
    messages.success(request, text)


@login_required
def instrument_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    instruments = list(selectors.instrument_list(request.viewer))
    context = {
        "library": [i for i in instruments if i.organisation_id is None],
        "own": [i for i in instruments if i.organisation_id is not None],
        "can_create": selectors.can_manage_instruments(request.viewer, request.organisation),
    }
    return render(request, "instruments/instrument_list.html", context)


@login_required
def instrument_detail(request: AuthenticatedHttpRequest, instrument_uuid: UUID) -> HttpResponse:
    instrument = _instrument(request, instrument_uuid)
    version = selectors.version_with_structure(_version(request, instrument))
    context = {
        "instrument": instrument,
        "version": version,
        "spec": selectors.spec_of(version),
        "versions": selectors.versions_of(instrument),
        "language": _wording_language(request),
        "language_names": LANGUAGE_NAMES,
        "can_edit": selectors.can_edit_instrument(request.viewer, instrument),
        "can_translate": selectors.can_manage_instruments(request.viewer, request.organisation),
        "packs": selectors.translation_packs(request.organisation.pk if request.organisation else None, version),
    }
    return render(request, "instruments/instrument_detail.html", context)


def _editor(request: AuthenticatedHttpRequest, instrument: Instrument | None) -> HttpResponse:
    language = _wording_language(request)
    base: InstrumentSpec | None = None
    initial: tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]] = (
        {"language": language, "shows_wording": True, "languages": [language]},
        {"method": "sum", "missing_rule": "all_required", "direction": "higher_is_better"},
        [],
    )
    if instrument is not None:
        version = selectors.version_with_structure(selectors.current_version(instrument))
        base = selectors.instrument_spec(instrument, version)
        initial = initial_for(base, language)
    data = request.POST if request.method == "POST" else None
    instrument_form = InstrumentForm(data, initial=initial[0])
    scoring_form = ScoringForm(data, initial=initial[1], prefix="scoring")
    formset = ItemFormSet(data, initial=initial[2], prefix="items")
    if data is not None and all([instrument_form.is_valid(), scoring_form.is_valid(), formset.is_valid()]):
        try:
            spec = build_spec(base, instrument_form, scoring_form, formset)
        except FileFormatError as error:
            add_spec_errors(error, instrument_form, formset)
        else:
            organisation = instrument.organisation if instrument else request.organisation
            saved = services.instrument_save(
                actor=request.user, organisation=organisation, spec=spec, instrument=instrument
            )
            _saved_message(request, saved)
            return redirect("instruments:detail", instrument_uuid=saved.instrument.uuid)
    context = {
        "instrument": instrument,
        "form": instrument_form,
        "scoring_form": scoring_form,
        "formset": formset,
        "language_form": LanguageForm(initial={"language": language}),
        "language": language,
        "language_name": dict(LANGUAGE_CHOICES)[language],
        "has_errors": data is not None,
    }
    return render(request, "instruments/instrument_form.html", context, status=400 if data is not None else 200)


@login_required
def instrument_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.can_manage_instruments(request.viewer, request.organisation):
        raise PermissionDenied
    return _editor(request, None)


@login_required
def instrument_edit(request: AuthenticatedHttpRequest, instrument_uuid: UUID) -> HttpResponse:
    return _editor(request, _instrument(request, instrument_uuid, edit=True))


@login_required
def instrument_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    if organisation is None or not selectors.can_manage_instruments(request.viewer, organisation):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.instrument_import(
                actor=request.user, organisation=organisation, content=form.cleaned_data["file"]
            )
        except FileFormatError as error:
            for message in error.errors:
                form.add_error(None, message)
        else:
            _saved_message(request, saved)
            return redirect("instruments:detail", instrument_uuid=saved.instrument.uuid)
    return render(request, "instruments/instrument_import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def instrument_export(request: AuthenticatedHttpRequest, instrument_uuid: UUID) -> HttpResponse:
    instrument = _instrument(request, instrument_uuid)
    version = _version(request, instrument)
    response = HttpResponse(services.instrument_export(instrument, version), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{instrument.key}-v{version.number}.json"'
    return response


# --- Translation packs ------------------------------------------------------------------------


@dataclass(frozen=True)
class _PackPlace:
    instrument: Instrument
    version: InstrumentVersion
    spec: VersionSpec
    organisation: Organisation


def _pack_place(request: AuthenticatedHttpRequest, instrument_uuid: UUID) -> _PackPlace:
    """The instrument (404 unless visible), and 403 unless the user manages the current
    organisation's instruments: a pack is the organisation's, as its licence is."""
    instrument = _instrument(request, instrument_uuid)
    organisation = request.organisation
    if organisation is None or not selectors.can_manage_instruments(request.viewer, organisation):
        raise PermissionDenied
    version = selectors.version_with_structure(selectors.current_version(instrument))
    return _PackPlace(instrument, version, selectors.spec_of(version), organisation)


@login_required
def translation_packs(request: AuthenticatedHttpRequest, instrument_uuid: UUID) -> HttpResponse:
    """The organisation's translations of the current version, and the import of one."""
    place = _pack_place(request, instrument_uuid)
    instrument, version, spec = place.instrument, place.version, place.spec
    lacking = [code for code in PARTICIPANT_LANGUAGES if code not in spec.languages]
    posted = request.method == "POST"  # an empty POST is a form sent empty, not no form
    form = PackForm(
        request.POST if posted else None, request.FILES if posted else None, languages=lacking, with_file=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.translation_pack_import(
                actor=request.user, organisation=place.organisation, version=version,
                content=form.cleaned_data["file"],
                language=form.cleaned_data["language"], source=form.cleaned_data["source"],
                licence=form.cleaned_data["licence"],
            )  # fmt: skip
        except FileFormatError as error:
            for message in error.errors:
                form.add_error(None, message)
        else:
            messages.success(request, gettext("The translation was saved."))
            return redirect("instruments:packs", instrument_uuid=instrument.uuid)
    context = {
        "instrument": instrument,
        "version": version,
        "spec": spec,
        "packs": selectors.translation_packs(place.organisation.pk, version),
        "lacking": lacking,
        "form": form,
    }
    return render(request, "instruments/translation_packs.html", context, status=400 if form.errors else 200)


@login_required
def translation_pack_edit(request: AuthenticatedHttpRequest, instrument_uuid: UUID, language: str) -> HttpResponse:
    """Typing in a translation, question by question beside the version's own wording."""
    place = _pack_place(request, instrument_uuid)
    instrument, version, spec = place.instrument, place.version, place.spec
    if language not in PARTICIPANT_LANGUAGES or language in spec.languages:
        raise Http404
    pack = selectors.translation_packs(place.organisation.pk, version).filter(language=language).first()
    data = request.POST if request.method == "POST" else None
    initial = {"source": pack.source, "licence": pack.licence} if pack else {}
    about = PackForm(data, initial=initial, languages=[language])
    del about.fields["language"]
    wording = PackWordingForm(data, spec=spec, initial=pack_initial(pack.wording) if pack else {}, prefix="w")
    if data is not None and about.is_valid() and wording.is_valid():
        try:
            services.translation_pack_save(
                actor=request.user, organisation=place.organisation, version=version, language=language,
                source=about.cleaned_data["source"], licence=about.cleaned_data["licence"], wording=wording.wording(),
            )  # fmt: skip
        except FileFormatError as error:
            for message in error.errors:
                about.add_error(None, message)
        else:
            messages.success(request, gettext("The translation was saved."))
            return redirect("instruments:packs", instrument_uuid=instrument.uuid)
    context = {"instrument": instrument, "version": version, "language": language, "form": about, "wording": wording}
    status = 400 if data is not None else 200
    return render(request, "instruments/translation_pack_form.html", context, status=status)
