"""Writes of the handbook, each recording who made it and why."""

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from pilotti.accounts.models import User
from pilotti.core.history import mark_history, save_with_history
from pilotti.handbook import files
from pilotti.handbook.models import HandbookFile, HandbookVersion
from pilotti.programmes.models import Programme


@dataclass(frozen=True)
class FileFields:
    title: str
    kind: str
    language: str


def _version(*, actor: User | None, file: HandbookFile, upload: UploadedFile, note: str) -> HandbookVersion:
    content = upload.read()
    name = upload.name or ""
    kind = files.kind_of(name, content)  # refused files were caught by the form; this is the last word
    number = (file.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = HandbookVersion(
        file=file,
        number=number,
        original_name=name[-200:],
        content_type=kind.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        note=note.strip(),
        uploaded_by=actor,
    )
    version.content.save("upload", ContentFile(content), save=False)
    version.save()
    return version


def handbook_file_add(
    *, actor: User | None, programme: Programme, fields: FileFields, upload: UploadedFile, note: str = ""
) -> HandbookFile:
    with transaction.atomic():
        file = save_with_history(
            HandbookFile(programme=programme, created_by=actor, **fields.__dict__), actor=actor, reason=note.strip()
        )
        _version(actor=actor, file=file, upload=upload, note=note)
    return file


def handbook_version_add(*, actor: User | None, file: HandbookFile, upload: UploadedFile, note: str) -> HandbookVersion:
    with transaction.atomic():
        HandbookFile.objects.select_for_update().get(pk=file.pk)  # one number per upload, however many at once
        return _version(actor=actor, file=file, upload=upload, note=note)


def handbook_file_change(*, actor: User, file: HandbookFile, fields: FileFields, why: str) -> HandbookFile:
    for name, value in fields.__dict__.items():
        setattr(file, name, value)
    return save_with_history(file, actor=actor, reason=why)


def handbook_file_remove(*, actor: User, file: HandbookFile, why: str) -> None:
    """Removes the file and every version of it; its history row keeps who, when and why."""
    stored = [version.content.name for version in file.versions.all()]
    with transaction.atomic():
        mark_history(file, actor=actor, reason=why)
        file.delete()
        # The stored bytes go only once the rows are gone for good: a rolled-back removal keeps both.
        transaction.on_commit(lambda: _delete_stored(stored))


def _delete_stored(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
