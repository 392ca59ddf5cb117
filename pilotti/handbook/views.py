"""The handbook page of a programme, its uploads and downloads. Thin views: the door in
selectors, the writes in services."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pilotti.handbook import selectors, services
from pilotti.handbook.forms import ChangeFileForm, NewFileForm, NewVersionForm, RemoveFileForm
from pilotti.handbook.models import HandbookFile
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.programmes.models import Programme


def _programme(request: AuthenticatedHttpRequest, slug: str, *, edit: bool = False) -> Programme:
    programme = selectors.programme_of(request.viewer, slug)
    if programme is None:
        raise Http404
    if edit and not selectors.can_edit(request.viewer, programme):
        raise PermissionDenied
    return programme


def _file(request: AuthenticatedHttpRequest, file_uuid: UUID) -> HandbookFile:
    file = selectors.file_of(request.viewer, file_uuid)
    if file is None:
        raise Http404
    if not selectors.can_edit(request.viewer, file.programme):
        raise PermissionDenied
    return file


def _version_form(file: HandbookFile, data: Any = None, files: Any = None) -> NewVersionForm:
    # One form per file on the page: the file's id keeps each form's field ids apart.
    return NewVersionForm(data, files, auto_id=f"v-{file.uuid}-%s")


def _page(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    *,
    new_file_form: NewFileForm | None = None,
    failed: tuple[HandbookFile, NewVersionForm] | None = None,
) -> HttpResponse:
    can_edit = selectors.can_edit(request.viewer, programme)
    handbook = list(selectors.handbook(programme))
    for file in handbook:
        # The page's per-file state, carried on the row for the template.
        is_failed = failed is not None and failed[0].pk == file.pk
        setattr(file, "failed", is_failed)  # noqa: B010 - an attribute the model does not declare
        setattr(file, "version_form", failed[1] if failed is not None and is_failed else _version_form(file))  # noqa: B010
    context = {
        "programme": programme,
        "files": handbook,
        "can_edit": can_edit,
        "new_file_form": new_file_form or (NewFileForm() if can_edit else None),
        "version_form": failed[1] if failed else None,
    }
    status = 400 if (new_file_form is not None and new_file_form.errors) or failed else 200
    return render(request, "handbook/handbook.html", context, status=status)


def _back(programme: Programme) -> HttpResponse:
    return redirect(reverse("handbook:programme", args=[programme.slug]))


def _only_get(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    # Checked after the door, so that whoever may not see the programme gets 404 whatever the method.
    return None if request.method in ("GET", "HEAD") else HttpResponseNotAllowed(["GET"])


@login_required
def programme_handbook(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    return _only_get(request) or _page(request, programme)


@login_required
@require_POST
def file_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, edit=True)
    form = NewFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, programme, new_file_form=form)
    services.handbook_file_add(
        actor=request.user,
        programme=programme,
        fields=form.fields_to_save(),
        upload=form.cleaned_data["upload"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("The file was added to the handbook."))
    return _back(programme)


@login_required
@require_POST
def version_add(request: AuthenticatedHttpRequest, file_uuid: UUID) -> HttpResponse:
    file = _file(request, file_uuid)
    form = _version_form(file, request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, file.programme, failed=(file, form))
    version = services.handbook_version_add(
        actor=request.user, file=file, upload=form.cleaned_data["upload"], note=form.cleaned_data["note"]
    )
    messages.success(
        request,
        _("Version %(number)s of “%(title)s” is now the current one.")
        % {
            "number": version.number,
            "title": file.title,
        },
    )
    return _back(file.programme)


@login_required
@require_http_methods(["GET", "POST"])
def file_change(request: AuthenticatedHttpRequest, file_uuid: UUID) -> HttpResponse:
    file = _file(request, file_uuid)
    initial = {"title": file.title, "kind": file.kind, "language": file.language}
    change = ChangeFileForm(request.POST or None, initial=initial, prefix="change")
    remove = RemoveFileForm(request.POST or None, prefix="remove") if "remove-why" in request.POST else None
    if request.method == "POST" and remove is not None and remove.is_valid():
        services.handbook_file_remove(actor=request.user, file=file, why=remove.cleaned_data["why"])
        messages.success(request, _("“%(title)s” and its versions were removed.") % {"title": file.title})
        return _back(file.programme)
    if request.method == "POST" and remove is None and change.is_valid():
        services.handbook_file_change(
            actor=request.user, file=file, fields=change.fields_to_save(), why=change.cleaned_data["why"]
        )
        messages.success(request, _("The file's details were corrected."))
        return _back(file.programme)
    context = {
        "file": file,
        "programme": file.programme,
        "change_form": change if remove is None else ChangeFileForm(initial=initial, prefix="change"),
        "remove_form": remove or RemoveFileForm(prefix="remove"),
        "history": file.history.select_related("history_user").order_by("history_date"),
    }
    failed = request.method == "POST"
    return render(request, "handbook/file_change.html", context, status=400 if failed else 200)


@login_required
def download(request: AuthenticatedHttpRequest, version_uuid: UUID) -> HttpResponse:
    """Always a download, never a page: the type is what the bytes were found to be, and the
    browser is told not to guess another or run anything in it. A file is at most
    ``UPLOAD_MAX_BYTES``, so it is read whole and no file handle outlives the request."""
    version = selectors.version_of(request.viewer, version_uuid)
    if version is None:
        raise Http404
    if refused := _only_get(request):
        return refused
    with version.content.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=version.content_type)
    response["Content-Disposition"] = content_disposition_header(True, version.original_name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
