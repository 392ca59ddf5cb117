"""The programme list's search and filters: by name, status and the organisation's part in it."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pilotti.organisations.models import Organisation
from pilotti.programmes.models import Adoption, Partnership, Programme

OWNER, PARTNER, ADOPTER = "owner", "partner", "adopter"
RELATIONS = [
    ("", pgettext_lazy("organisation's part", "any")),
    (OWNER, pgettext_lazy("organisation's part", "owns it")),
    (PARTNER, pgettext_lazy("organisation's part", "runs it as a partner")),
    (ADOPTER, pgettext_lazy("organisation's part", "runs it on its own (adoption)")),
]


@dataclass(frozen=True)
class ProgrammeFilters:
    name: str = ""
    status: str = ""
    relation: str = ""

    def __bool__(self) -> bool:
        return bool(self.name or self.status or self.relation)


class ProgrammeFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", pgettext_lazy("status", "any")), *Programme.Status.choices]
    )
    relation = forms.ChoiceField(label=_("Your organisation"), required=False, choices=RELATIONS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def filters(self) -> ProgrammeFilters:
        if not self.is_valid():
            return ProgrammeFilters()
        data = self.cleaned_data
        return ProgrammeFilters(name=data["q"].strip(), status=data["status"], relation=data["relation"])


def filtered(
    programmes: QuerySet[Programme], filters: ProgrammeFilters, organisation: Organisation | None
) -> QuerySet[Programme]:
    """Any part of the name in any case; the organisation's part is the one it is working in."""
    if filters.name:
        for word in filters.name.split():
            programmes = programmes.filter(name__icontains=word)
    if filters.status:
        programmes = programmes.filter(status=filters.status)
    if filters.relation and organisation is not None:
        if filters.relation == OWNER:
            programmes = programmes.filter(organisation=organisation)
        elif filters.relation == PARTNER:
            partner = Partnership.objects.filter(programme=OuterRef("pk"), organisation=organisation)
            programmes = programmes.filter(Exists(partner))
        elif filters.relation == ADOPTER:
            adopter = Adoption.objects.filter(programme=OuterRef("pk"), organisation=organisation)
            programmes = programmes.filter(Exists(adopter))
    return programmes
