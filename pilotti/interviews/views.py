"""Interviews, the codebook, excerpts and the quote bank of one organisation in a programme.
Thin views: the door in selectors, the writes in services."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access_many
from pilotti.core.forms import add_service_errors
from pilotti.instruments.models import Answer
from pilotti.interviews import selectors, services
from pilotti.interviews.forms import CheckForm, ExcerptForm, IntervieweeForm, InterviewForm, NotesForm, ThemeForm
from pilotti.interviews.models import Excerpt, Interview, Interviewee, Theme
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Organisation
from pilotti.people.models import Participant
from pilotti.programmes.models import Programme


def _page(request: AuthenticatedHttpRequest, slug: str) -> tuple[Programme, Organisation]:
    found = selectors.interviews_organisation(request.viewer, slug)
    if found is None:
        raise Http404
    return found


def _log_shown(request: AuthenticatedHttpRequest, participants: Sequence[Participant | None], item: str) -> None:
    """The participants whose codes the page shows (interviewees, speakers), in their access logs."""
    shown = list({p.pk: p for p in participants if p is not None}.values())
    if shown:
        log_access_many(
            request,
            participants=shown,
            action=Action.VIEW,
            category=Category.PROFILE,
            purpose=Purpose.EVALUATION,
            item=item,
        )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _render_programme(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    organisation: Organisation,
    *,
    interview_form: InterviewForm | None = None,
    theme_form: ThemeForm | None = None,
) -> HttpResponse:
    units = selectors.organisation_units(programme, organisation)
    themes = selectors.codebook_themes(programme, organisation)
    excerpts = list(selectors.excerpt_list(programme, organisation))
    interviews = list(selectors.interview_list(programme, organisation))
    _log_shown(
        request,
        [i.participant for interview in interviews for i in interview.interviewees.all()]
        + [e.speaker.participant for e in excerpts if e.speaker is not None],
        _("interviews and themes: %(programme)s") % {"programme": programme.name},
    )
    context: dict[str, Any] = {
        "programme": programme,
        "organisation": organisation,
        "can_plan": selectors.can_read_notes(request.viewer, organisation.pk),
        "can_code": selectors.can_code(request.viewer, organisation.pk),
        "interviews": interviews,
        "codebook": selectors.codebook(programme, organisation),
        "excerpts": excerpts,
        "interview_form": interview_form or InterviewForm(units=units),
        "theme_form": theme_form or ThemeForm(themes=themes),
    }
    failed = (interview_form is not None and interview_form.errors) or (theme_form is not None and theme_form.errors)
    return render(request, "interviews/programme.html", context, status=400 if failed else 200)


@login_required
def programme_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _page(request, slug)
    return _render_programme(request, programme, organisation)


@login_required
@require_POST
def interview_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _page(request, slug)
    _require(selectors.can_read_notes(request.viewer, organisation.pk))
    form = InterviewForm(request.POST, units=selectors.organisation_units(programme, organisation))
    if form.is_valid():
        try:
            interview = services.interview_add(
                actor=request.user, programme=programme, organisation=organisation, fields=form.to_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The interview was added. Add who is interviewed."))
            return redirect("interviews:detail", interview_uuid=interview.uuid)
    return _render_programme(request, programme, organisation, interview_form=form)


@login_required
@require_POST
def theme_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _page(request, slug)
    _require(selectors.can_code(request.viewer, organisation.pk))
    form = ThemeForm(request.POST, themes=selectors.codebook_themes(programme, organisation))
    if form.is_valid():
        try:
            services.theme_add(
                actor=request.user, programme=programme, organisation=organisation, fields=form.to_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The theme was added to the codebook."))
            return redirect(reverse("interviews:programme", args=[programme.slug]) + "#codebook-heading")
    return _render_programme(request, programme, organisation, theme_form=form)


# --- One interview -------------------------------------------------------------------------------


def _interview(request: AuthenticatedHttpRequest, interview_uuid: UUID) -> Interview:
    interviews = selectors.interviews_visible_to(request.viewer).select_related("programme", "organisation", "unit")
    return get_object_or_404(interviews, uuid=interview_uuid)


def _render_interview(
    request: AuthenticatedHttpRequest,
    interview: Interview,
    *,
    form: InterviewForm | None = None,
    notes_form: NotesForm | None = None,
    interviewee_form: IntervieweeForm | None = None,
    excerpt_form: ExcerptForm | None = None,
) -> HttpResponse:
    can_plan = selectors.can_read_notes(request.viewer, interview.organisation_id)
    units = selectors.organisation_units(interview.programme, interview.organisation)
    interviewees = interview.interviewees.select_related("participant")
    themes = selectors.codebook_themes(interview.programme, interview.organisation)
    participants = [i.participant for i in interviewees if i.participant is not None]
    _log_shown(request, participants, _("interview: %(title)s") % {"title": interview.title})
    if can_plan and interview.notes:
        log_access_many(
            request,
            participants=participants,
            action=Action.VIEW,
            category=Category.ANSWERS,
            purpose=Purpose.EVALUATION,
            item=_("interview notes: %(title)s") % {"title": interview.title},
        )
    context: dict[str, Any] = {
        "interview": interview,
        "can_plan": can_plan,
        "can_code": selectors.can_code(request.viewer, interview.organisation_id),
        "interviewees": interviewees,
        "excerpts": selectors.interview_excerpts(interview),
        "history": selectors.history_of(interview),
        "form": form or InterviewForm(units=units, with_reason=True, initial=InterviewForm.initial_for(interview)),
        "notes_form": notes_form or NotesForm(initial={"notes": interview.notes}),
        "interviewee_form": interviewee_form
        or IntervieweeForm(participants=selectors.participants_to_interview(interview.organisation)),
        "excerpt_form": excerpt_form or ExcerptForm(themes=themes, speakers=interviewees),
    }
    failed = any(f is not None and f.errors for f in (form, notes_form, interviewee_form, excerpt_form))
    return render(request, "interviews/interview.html", context, status=400 if failed else 200)


@login_required
def interview_detail(request: AuthenticatedHttpRequest, interview_uuid: UUID) -> HttpResponse:
    """The interview; a POST corrects when and what it was (coordinators), with a reason."""
    interview = _interview(request, interview_uuid)
    if request.method != "POST":
        return _render_interview(request, interview)
    _require(selectors.can_read_notes(request.viewer, interview.organisation_id))
    units = selectors.organisation_units(interview.programme, interview.organisation)
    form = InterviewForm(request.POST, units=units, with_reason=True)
    if form.is_valid():
        try:
            services.interview_update(
                actor=request.user, interview=interview, fields=form.to_fields(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("interviews:detail", interview_uuid=interview.uuid)
    return _render_interview(request, interview, form=form)


@login_required
@require_POST
def notes_save(request: AuthenticatedHttpRequest, interview_uuid: UUID) -> HttpResponse:
    interview = _interview(request, interview_uuid)
    _require(selectors.can_read_notes(request.viewer, interview.organisation_id))
    form = NotesForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_interview(request, interview, notes_form=form)
    services.interview_notes_set(
        actor=request.user, interview=interview, notes=form.text(), reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("The notes were saved."))
    return redirect(reverse("interviews:detail", args=[interview.uuid]) + "#notes-heading")


@login_required
@require_POST
def interviewee_add(request: AuthenticatedHttpRequest, interview_uuid: UUID) -> HttpResponse:
    interview = _interview(request, interview_uuid)
    _require(selectors.can_read_notes(request.viewer, interview.organisation_id))
    participants = selectors.participants_to_interview(interview.organisation)
    form = IntervieweeForm(request.POST, participants=participants)
    if form.is_valid():
        try:
            services.interviewee_add(
                actor=request.user,
                interview=interview,
                kind=form.cleaned_data["kind"],
                participant=form.cleaned_data["participant"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The interviewee was added."))
            return redirect(reverse("interviews:detail", args=[interview.uuid]) + "#interviewees-heading")
    return _render_interview(request, interview, interviewee_form=form)


@login_required
@require_POST
def interviewee_remove(request: AuthenticatedHttpRequest, interviewee_uuid: UUID) -> HttpResponse:
    interviewees = selectors.interviewees_visible_to(request.viewer).select_related("interview")
    interviewee: Interviewee = get_object_or_404(interviewees, uuid=interviewee_uuid)
    interview = interviewee.interview
    _require(selectors.can_read_notes(request.viewer, interview.organisation_id))
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Say why they are removed: the history keeps the reason."))
    else:
        services.interviewee_remove(actor=request.user, interviewee=interviewee, reason=reason[:300])
        messages.success(request, _("The interviewee and their excerpts were removed."))
    return redirect(reverse("interviews:detail", args=[interview.uuid]) + "#interviewees-heading")


# --- The codebook --------------------------------------------------------------------------------


@login_required
def theme_edit(request: AuthenticatedHttpRequest, theme_uuid: UUID) -> HttpResponse:
    themes = selectors.themes_visible_to(request.viewer).select_related("programme", "organisation", "parent")
    theme: Theme = get_object_or_404(themes, uuid=theme_uuid)
    _require(selectors.can_code(request.viewer, theme.organisation_id))
    codebook = selectors.codebook_themes(theme.programme, theme.organisation).exclude(pk=theme.pk)
    initial = {"name": theme.name, "description": theme.description, "parent": theme.parent}
    form = ThemeForm(request.POST or None, themes=codebook, with_reason=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(
                actor=request.user, theme=theme, fields=form.to_fields(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(reverse("interviews:programme", args=[theme.programme.slug]) + "#codebook-heading")
    context = {"theme": theme, "form": form, "history": selectors.history_of(theme)}
    return render(request, "interviews/theme_form.html", context, status=400 if form.errors else 200)


# --- Excerpts ------------------------------------------------------------------------------------


def _source(
    request: AuthenticatedHttpRequest, programme: Programme, organisation: Organisation
) -> services.ExcerptSource | None:
    """The source named in the address, found through the door and inside this programme."""
    if "interview" in request.GET:
        interview = get_object_or_404(
            selectors.interview_list(programme, organisation), uuid=_uuid(request.GET["interview"])
        )
        return services.ExcerptSource(interview=interview)
    if "response" in request.GET:
        answers = selectors.free_text_answers(programme, organisation)
        answer: Answer = get_object_or_404(
            answers, response__uuid=_uuid(request.GET["response"]), item__key=request.GET.get("item", "")
        )
        return services.ExcerptSource(answer=answer)
    if "meeting" in request.GET:
        meetings = selectors.meetings_with_notes(programme, organisation)
        return services.ExcerptSource(meeting=get_object_or_404(meetings, uuid=_uuid(request.GET["meeting"])))
    return None


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError as error:
        raise Http404 from error


@login_required
def sources(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Free-text answers and meeting notes to take excerpts from (coordinators: they see both)."""
    programme, organisation = _page(request, slug)
    _require(selectors.can_read_notes(request.viewer, organisation.pk))
    context = {
        "programme": programme,
        "answers": selectors.free_text_answers(programme, organisation)[:200],
        "meetings": selectors.meetings_with_notes(programme, organisation)[:100],
    }
    return render(request, "interviews/sources.html", context)


@login_required
def excerpt_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _page(request, slug)
    _require(selectors.can_read_notes(request.viewer, organisation.pk))
    source = _source(request, programme, organisation)
    if source is None:
        return redirect("interviews:sources", slug=programme.slug)
    themes = selectors.codebook_themes(programme, organisation)
    speakers = source.interview.interviewees.select_related("participant") if source.interview else None
    initial = {"text": source.answer.text if source.answer else source.meeting.notes if source.meeting else ""}
    form = ExcerptForm(request.POST or None, themes=themes, speakers=speakers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.excerpt_add(
                actor=request.user,
                programme=programme,
                organisation=organisation,
                source=source,
                text=form.cleaned_data["text"],
                themes=form.cleaned_data["themes"],
                speaker=form.cleaned_data.get("speaker"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The excerpt was added."))
            if source.interview is not None:
                return redirect(reverse("interviews:detail", args=[source.interview.uuid]) + "#excerpts-heading")
            return redirect(reverse("interviews:programme", args=[programme.slug]) + "#excerpts-heading")
    if source.interview is not None and request.method == "POST":
        return _render_interview(request, source.interview, excerpt_form=form)
    context = {"programme": programme, "source": source, "form": form}
    return render(request, "interviews/excerpt_add.html", context, status=400 if form.errors else 200)


def _excerpt(request: AuthenticatedHttpRequest, excerpt_uuid: UUID) -> Excerpt:
    excerpts = selectors.excerpts_visible_to(request.viewer).select_related(
        "programme", "organisation", "interview", "speaker__participant", "answer__item", "meeting__unit", "checked_by"
    )
    return get_object_or_404(excerpts, uuid=excerpt_uuid)


@login_required
def excerpt_edit(request: AuthenticatedHttpRequest, excerpt_uuid: UUID) -> HttpResponse:
    """The excerpt, its check and history; a POST corrects its words, speaker or themes."""
    excerpt = _excerpt(request, excerpt_uuid)
    can_code = selectors.can_code(request.viewer, excerpt.organisation_id)
    if request.method == "POST":
        _require(can_code)
    themes = selectors.codebook_themes(excerpt.programme, excerpt.organisation)
    speakers = excerpt.interview.interviewees.select_related("participant") if excerpt.interview else None
    initial = {"text": excerpt.text, "speaker": excerpt.speaker, "themes": list(excerpt.themes.all())}
    form = ExcerptForm(request.POST or None, themes=themes, speakers=speakers, with_reason=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.excerpt_update(
                actor=request.user,
                excerpt=excerpt,
                text=form.cleaned_data["text"],
                themes=form.cleaned_data["themes"],
                speaker=form.cleaned_data.get("speaker"),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("interviews:excerpt_edit", excerpt_uuid=excerpt.uuid)
    _log_shown(
        request,
        [i.participant for i in speakers or ()] + ([excerpt.speaker.participant] if excerpt.speaker else []),
        _("interview excerpt"),
    )
    context = {
        "excerpt": excerpt,
        "form": form,
        "can_code": can_code,
        "check_form": CheckForm(initial={"publishable": "yes" if excerpt.publishable else "no"}),
        "history": selectors.history_of(excerpt),
    }
    return render(request, "interviews/excerpt.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def excerpt_check(request: AuthenticatedHttpRequest, excerpt_uuid: UUID) -> HttpResponse:
    excerpt = _excerpt(request, excerpt_uuid)
    _require(selectors.can_code(request.viewer, excerpt.organisation_id))
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the excerpt could identify someone."))
        return redirect("interviews:excerpt_edit", excerpt_uuid=excerpt.uuid)
    services.excerpt_check(
        actor=request.user,
        excerpt=excerpt,
        publishable=form.cleaned_data["publishable"],
        note=form.cleaned_data["note"],
    )
    if form.cleaned_data["publishable"]:
        messages.success(request, _("The excerpt is in the quote bank: the report may quote it."))
    else:
        messages.success(request, _("The excerpt is marked not publishable: the report does not quote it."))
    return redirect("interviews:excerpt_edit", excerpt_uuid=excerpt.uuid)


@login_required
@require_POST
def excerpt_remove(request: AuthenticatedHttpRequest, excerpt_uuid: UUID) -> HttpResponse:
    excerpt = _excerpt(request, excerpt_uuid)
    _require(selectors.can_code(request.viewer, excerpt.organisation_id))
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Say why the excerpt is removed: the history keeps the reason."))
        return redirect("interviews:excerpt_edit", excerpt_uuid=excerpt.uuid)
    services.excerpt_remove(actor=request.user, excerpt=excerpt, reason=reason[:300])
    messages.success(request, _("The excerpt was removed. Its history is kept."))
    return redirect(reverse("interviews:programme", args=[excerpt.programme.slug]) + "#excerpts-heading")
