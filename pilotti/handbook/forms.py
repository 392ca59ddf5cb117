from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pilotti.core.uploads import check_upload
from pilotti.handbook import files
from pilotti.handbook.models import Kind
from pilotti.handbook.services import FileFields


class _Upload(forms.Form):
    upload = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG or text; no macros."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{name}" for name in files.ACCEPTED_EXTENSIONS)}),
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        check_upload(upload, max_bytes=settings.UPLOAD_MAX_BYTES)
        files.kind_of(upload.name or "", upload.read())
        upload.seek(0)
        return upload


class NewFileForm(_Upload):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    field_order = ["title", "kind", "language", "upload", "note"]

    def fields_to_save(self) -> FileFields:
        return FileFields(self.cleaned_data["title"], self.cleaned_data["kind"], self.cleaned_data["language"])


class NewVersionForm(_Upload):
    pass


class ChangeFileForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    why = forms.CharField(label=_("Why"), max_length=300)

    def fields_to_save(self) -> FileFields:
        return FileFields(self.cleaned_data["title"], self.cleaned_data["kind"], self.cleaned_data["language"])


class RemoveFileForm(forms.Form):
    why = forms.CharField(label=_("Why"), max_length=300)

    def clean_why(self) -> str:
        why = str(self.cleaned_data["why"]).strip()
        if not why:
            raise ValidationError(_("Say why the file is removed."))
        return why
