import io
import zipfile
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pilotti.core.forms import set_queryset
from pilotti.core.uploads import read_upload
from pilotti.interviews.models import Interview, Interviewee, Theme
from pilotti.interviews.services import InterviewFields, ThemeFields
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A transcript of two hours is about 150 kB of text; a .docx of it with its styles well under 1 MB.
TRANSCRIPT_MAX_BYTES = 2 * 1024 * 1024
# What a .docx may unpack to: its XML compresses well, but not beyond this (a "ZIP bomb" does).
DOCX_MAX_UNCOMPRESSED = 20 * 1024 * 1024
NOTES_MAX_CHARS = 500_000


def _reason(label: Any = None, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label or _("Why the change (kept in the history)"), max_length=300, required=required)


class InterviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Interview.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("E.g. Parents after the group, spring."))
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=DeliveryUnit.objects.none(), required=False, empty_label=_("The whole programme")
    )
    guide = forms.CharField(
        label=_("Interview guide's questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One question a line."),
        max_length=10_000,
    )

    def __init__(self, *args: Any, units: QuerySet[DeliveryUnit], with_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units)
        if with_reason:
            self.fields["reason"] = _reason()

    def to_fields(self) -> InterviewFields:
        data = self.cleaned_data
        return InterviewFields(
            kind=data["kind"], title=data["title"], held_on=data["held_on"], unit=data["unit"], guide=data["guide"]
        )

    @classmethod
    def initial_for(cls, interview: Interview) -> dict[str, Any]:
        return {
            "kind": interview.kind,
            "title": interview.title,
            "held_on": interview.held_on,
            "unit": interview.unit,
            "guide": interview.guide,
        }


def read_transcript(upload: UploadedFile) -> str:
    """The text of an uploaded .txt or .docx, judged by its content, not its name: a .docx is a
    ZIP holding ``word/document.xml`` (python-docx reads it; its XML parser resolves no external
    entities), anything else must be UTF-8 text without NUL bytes."""
    content = read_upload(upload, max_bytes=TRANSCRIPT_MAX_BYTES)
    if content.startswith(b"PK\x03\x04"):
        return _docx_text(content)
    if b"\x00" in content:
        raise ValidationError(gettext("The file is neither text (.txt) nor a Word document (.docx)."), code="kind")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            gettext("The text file is not UTF-8. Save it again as UTF-8 text, or as .docx."), code="encoding"
        ) from error


def _docx_text(content: bytes) -> str:
    import docx  # python-docx, only needed here

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, ValueError) as error:
        raise ValidationError(gettext("The Word document could not be opened."), code="not_docx") from error
    if "word/document.xml" not in names:
        raise ValidationError(gettext("The file is neither text (.txt) nor a Word document (.docx)."), code="kind")
    if sum(m.file_size for m in members) > DOCX_MAX_UNCOMPRESSED:
        raise ValidationError(gettext("The Word document unpacks too large to read."), code="too_large")
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as error:  # python-docx raises many kinds for a damaged file
        raise ValidationError(gettext("The Word document could not be opened."), code="not_docx") from error
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes or transcript"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=NOTES_MAX_CHARS,
        help_text=_("Write participants by their code, not by name."),
    )
    file = forms.FileField(
        label=_("Or upload the transcript (.txt or .docx)"),
        required=False,
        help_text=_("Replaces the text above. At most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,text/plain"}),
    )
    reason = _reason(_("Why (kept in the history)"), required=False)

    def clean_file(self) -> str | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        text = read_transcript(upload)
        if len(text) > NOTES_MAX_CHARS:
            raise ValidationError(gettext("The transcript is too long: split it into two interviews."))
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Emptying the notes is a deliberate act, not a stray click: it says why (the history
        # keeps the earlier text).
        if not self.errors and not cleaned.get("file") and not cleaned.get("notes") and not cleaned.get("reason"):
            self.add_error("reason", gettext("Say why the notes are emptied: the history keeps the earlier text."))
        return cleaned

    def text(self) -> str:
        uploaded: str | None = self.cleaned_data.get("file")
        return uploaded if uploaded is not None else self.cleaned_data["notes"]


class IntervieweeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who"), choices=Interviewee.Kind.choices)
    participant = forms.ModelChoiceField(
        label=_("Participant (with consent for interviews)"), queryset=Participant.objects.none(), required=False
    )
    role = forms.CharField(
        label=_("Role"), max_length=200, required=False, help_text=_("A role or organisation, never a name.")
    )

    def __init__(self, *args: Any, participants: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "participant", participants)


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("Theme"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    parent = forms.ModelChoiceField(
        label=_("Under the theme"), queryset=Theme.objects.none(), required=False, empty_label=_("A main theme")
    )

    def __init__(self, *args: Any, themes: QuerySet[Theme], with_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "parent", themes.filter(parent__isnull=True))
        if with_reason:
            self.fields["reason"] = _reason()

    def to_fields(self) -> ThemeFields:
        data = self.cleaned_data
        return ThemeFields(name=data["name"], description=data["description"], parent=data["parent"])


class ExcerptForm(forms.Form):
    text = forms.CharField(label=_("Excerpt"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    speaker = forms.ModelChoiceField(
        label=_("Who said it"),
        queryset=Interviewee.objects.none(),
        required=False,
        empty_label=_("Several people, or not known"),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        themes: QuerySet[Theme],
        speakers: QuerySet[Interviewee] | None = None,
        with_reason: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "themes", themes)
        if speakers is None:
            del self.fields["speaker"]
        else:
            set_queryset(self, "speaker", speakers, label=Interviewee.label)
        if with_reason:
            self.fields["reason"] = _reason()


class CheckForm(forms.Form):
    publishable = forms.TypedChoiceField(
        label=_("The check for identifying details"),
        choices=[
            ("yes", _("Nothing identifies anyone: publishable")),
            ("no", _("It could identify someone: not publishable")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("What the check found"), max_length=300, required=False)
