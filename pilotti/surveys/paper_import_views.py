"""Staff pages for paper answers in bulk: the XLSX template per questionnaire and unit, and its import."""

import json
from pathlib import Path
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

import pilotti.instruments as instruments_app
from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access_many
from pilotti.core import uploads
from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import InstrumentVersion
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.programmes import selectors as programmes
from pilotti.programmes.models import DeliveryUnit
from pilotti.surveys import paper_import, selectors

EXAMPLE_INSTRUMENT = Path(instruments_app.__file__).parent / "library" / "pilotti-usefulness.json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PaperImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> bytes:
        return uploads.read_upload(self.cleaned_data["file"], max_bytes=paper_import.MAX_BYTES)


def _unit(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> DeliveryUnit:
    unit = get_object_or_404(programmes.units_visible_to(request.viewer).select_related("programme"), uuid=unit_uuid)
    if not (programmes.can_manage_unit(request.viewer, unit) or programmes.can_change_meetings(request.viewer, unit)):
        raise PermissionDenied
    return unit


def _versions(request: AuthenticatedHttpRequest, unit: DeliveryUnit) -> list[InstrumentVersion]:
    return selectors.current_versions(
        selectors.instruments_for(request.viewer, unit.organisation_id), online_only=False
    )


def _version(request: AuthenticatedHttpRequest, unit: DeliveryUnit) -> InstrumentVersion:
    wanted = request.GET.get("version", "")
    version = next((v for v in _versions(request, unit) if str(v.uuid) == wanted), None)
    if version is None:
        raise Http404
    return instruments.version_with_structure(version)


@login_required
def paper_template(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    version = _version(request, unit)
    participants = list(paper_import.participants_of_unit(request.viewer, unit))
    content = paper_import.template_xlsx(
        version=version,
        spec=instruments.spec_of(version),
        unit=unit,
        codes=[p.code for p in participants],
        language=get_language() or "fi",
    )
    log_access_many(
        request,
        participants=participants,
        action=Action.EXPORT,
        category=Category.PROFILE,
        purpose=Purpose.QUESTIONNAIRE,
        item=f"paper answer template {version}",
    )
    response = HttpResponse(content, content_type=XLSX)
    name = slugify(f"{unit.name}-{version.instrument.key}-v{version.number}")
    response["Content-Disposition"] = f'attachment; filename="paper-{name}.xlsx"'
    return response


@login_required
def paper_import_page(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    """Lists the questionnaires' templates; a posted file is checked whole and saved all or nothing."""
    unit = _unit(request, unit_uuid)
    form = PaperImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        version = _version(request, unit)
        try:
            rows, problems = paper_import.parse(
                content=form.cleaned_data["file"],
                version=version,
                spec=instruments.spec_of(version),
                unit=unit,
                participants=paper_import.participants_of_unit(request.viewer, unit),
                language=get_language() or "fi",
            )
            if not problems:
                saved = paper_import.save(actor=request.user, version=version, rows=rows)
                messages.success(
                    request,
                    ngettext("%(n)d paper form was saved.", "%(n)d paper forms were saved.", saved) % {"n": saved},
                )
                return redirect(request.get_full_path())
        except paper_import.ImportFileError as error:
            form.add_error("file", str(error))
        except ValidationError as error:  # a row the check let through but the service refused
            problems = error.messages
    context = {"unit": unit, "versions": _versions(request, unit), "form": form, "problems": problems}
    return render(request, "surveys/staff/paper_import.html", context, status=400 if form.errors or problems else 200)


@login_required
def instrument_import_example(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An instrument file in the import format to start from: a short shipped questionnaire,
    under a key of its own so that importing it unchanged adds an instrument rather than
    shadowing the library's."""
    example = json.loads((EXAMPLE_INSTRUMENT).read_text(encoding="utf-8"))
    example["key"] = "example-usefulness"
    example["name"] = _("Example: %(name)s") % {"name": example["name"]}
    response = HttpResponse(json.dumps(example, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="instrument-example.json"'
    return response
