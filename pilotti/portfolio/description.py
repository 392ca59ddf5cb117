"""The model description in Innokylä's sections (innokyla.fi, the national open platform where
Finnish services describe their models): Perustiedot, Ratkaisun perusidea, Toimintaympäristö,
Toimivuuden ja käyttöönoton ehdot, Kehittämisen polku, and the evaluation's evidence.

Filled from what the programme holds (target groups, session plan, roles, curriculum, handbook,
measurement plan, sites, partners and adopters) and from the shared report the requester may see
(reach, retention, outcomes, feedback, cost per result, in the summary's hedged sentences: a
withheld figure is never written as a number). What Pilotti cannot know is left as headings
marked "to write". Written in the language active when ``build`` is called (the requester's),
as a page to copy from, Markdown and DOCX (python-docx).
"""

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from pilotti.evaluation.summary import summarise
from pilotti.handbook.models import HandbookFile
from pilotti.programmes.models import Adoption, Partnership, Programme, Site


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Part:
    """A sub-heading with sentences (``text``) or a list (``items``)."""

    heading: str
    text: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    key: str  # a stable name: basics, idea, environment, conditions, path, evaluation
    heading: str
    innokyla: str  # the section's name in Innokylä, which is Finnish
    facts: list[Fact] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    to_write: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Description:
    title: str
    programme: str
    organisation: str
    language: str
    made_on: date
    sections: list[Section]
    note: str


@dataclass(frozen=True)
class Sources:
    """What the description is made of, read through the door by the caller."""

    programme: Programme
    partners: list[Partnership]
    adoptions: list[Adoption]
    sites: list[Site]
    handbook: list[HandbookFile]
    report: Mapping[str, Any]  # the shared report (evaluation.services.report_build, shared=True)


def _day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _period(programme: Programme) -> str:
    if programme.starts_on and programme.ends_on:
        return f"{_day(programme.starts_on)}–{_day(programme.ends_on)}"
    if programme.starts_on:
        return _("from %(date)s") % {"date": _day(programme.starts_on)}
    return ""


def _meetings(programme: Programme) -> str:
    low, high = programme.meetings_min, programme.meetings_max
    if low and high and low != high:
        return f"{low}–{high}"
    return str(high or low or "")


def _facts(pairs: Iterable[tuple[str, str]]) -> list[Fact]:
    return [Fact(label, value) for label, value in pairs if value]


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def build(sources: Sources, *, today: date) -> Description:
    programme = sources.programme
    return Description(
        title=_("Model description: %(name)s") % {"name": programme.name},
        programme=programme.name,
        organisation=programme.organisation.name,
        language=(get_language() or "fi")[:2],
        made_on=today,
        sections=[
            _basics(programme),
            _idea(programme),
            _environment(sources),
            _conditions(programme, sources.handbook),
            _path(programme, sources.adoptions),
            _evaluation(programme, sources.report),
        ],
        note=_(
            "Made by Pilotti from the programme's plan and its shared report. Copy it into Innokylä section by "
            "section, and write the parts marked “to write”: Pilotti cannot know them."
        ),
    )


def _basics(programme: Programme) -> Section:
    segments = ", ".join(f"{s.name} {s.target}" for s in programme.segments.all())
    return Section(
        "basics",
        _("Basic information"),
        "Perustiedot",
        facts=_facts(
            [
                (_("Name"), programme.name),
                (_("Owner"), programme.organisation.name),
                (_("Status"), str(programme.get_status_display())),
                (_("Period"), _period(programme)),
                (_("Target groups"), programme.target_groups.strip()),
                (_("Recruitment targets"), segments),
            ]
        ),
        to_write=[_("Contact person and how to reach them"), _("Keywords and the services it belongs to")],
    )


def _idea(programme: Programme) -> Section:
    topics = [t.title for t in programme.topics.all()]
    return Section(
        "idea",
        _("The basic idea"),
        "Ratkaisun perusidea",
        paragraphs=_paragraphs(programme.description),
        parts=[Part(_("Curriculum"), items=topics)] if topics else [],
        to_write=[_("The need or problem the model answers"), _("What changes for the participant, and how")],
    )


def _environment(sources: Sources) -> Section:
    programme = sources.programme
    running = [_("%(name)s (owner)") % {"name": programme.organisation.name}]
    running += [_("%(name)s (partner)") % {"name": p.organisation.name} for p in sources.partners]
    for adoption in sources.adoptions:
        if adoption.adopted_on:
            running.append(
                _("%(name)s (adopted the model on %(date)s)")
                % {"name": adoption.organisation.name, "date": _day(adoption.adopted_on)}
            )
        else:
            running.append(_("%(name)s (adopted the model)") % {"name": adoption.organisation.name})
    sites = sorted({str(site) for site in sources.sites})
    parts = [Part(_("Organisations running the model"), items=running)]
    if sites:
        parts.append(Part(_("Sites"), items=sites))
    return Section(
        "environment",
        _("Operating environment"),
        "Toimintaympäristö",
        parts=parts,
        to_write=[_("The services around the model: who refers people to it, and where they go next")],
    )


def _conditions(programme: Programme, handbook: list[HandbookFile]) -> Section:
    roles = ", ".join(programme.facilitator_role_labels())
    if programme.interpreter_language:
        roles += "; " + _("interpreter: %(language)s") % {"language": programme.interpreter_language}
    minutes = programme.duration_minutes
    materials = []
    for file in handbook:
        versions = list(file.versions.all())
        number = versions[0].number if versions else 0
        materials.append(
            _("%(title)s (%(kind)s, %(language)s, version %(number)s)")
            % {
                "title": file.title,
                "kind": file.get_kind_display(),
                "language": file.get_language_display(),
                "number": number,
            }
        )
    return Section(
        "conditions",
        _("Conditions for it to work and to be adopted"),
        "Toimivuuden ja käyttöönoton ehdot",
        facts=_facts(
            [
                (_("Meetings"), _meetings(programme)),
                (_("Frequency"), str(programme.get_frequency_display())),
                (_("Meeting length"), ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}),
                (_("Mode"), str(programme.get_mode_display())),
                (_("Facilitators"), roles),
            ]
        ),
        parts=[Part(_("Materials in the handbook"), items=materials)] if materials else [],
        to_write=[
            _("What adopting the model takes: training, working time and money"),
            _("What must be in place for the model to work"),
        ],
    )


def _path(programme: Programme, adoptions: list[Adoption]) -> Section:
    spread = [
        _("%(date)s: %(name)s") % {"date": _day(a.adopted_on), "name": a.organisation.name}
        for a in sorted((a for a in adoptions if a.adopted_on), key=lambda a: a.adopted_on or date.min)
    ]
    return Section(
        "path",
        _("Development path"),
        "Kehittämisen polku",
        facts=_facts([(_("In use since"), _day(programme.starts_on)), (_("Adopted by"), str(len(adoptions)))]),
        parts=[Part(_("Adoptions"), items=spread)] if spread else [],
        to_write=[_("How the model was developed, and with whom"), _("What was changed along the way, and why")],
    )


def _evaluation(programme: Programme, report: Mapping[str, Any]) -> Section:
    summary = summarise(report)
    parts = [Part(p.heading, text=p.sentences) for p in summary.paragraphs if p.sentences]
    if summary.caveats:
        parts.append(Part(_("Caveats"), items=summary.caveats))
    return Section(
        "evaluation",
        _("Evaluation"),
        "Arviointi",
        facts=_facts([(_("Measurement plan"), programme.measurement_plan.strip())]),
        parts=parts,
        to_write=[_("What else the evaluation found: interviews, the workers' and participants' experience")],
    )


# --- Markdown ----------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#<>|])")


def _md(text: str) -> str:
    """Text as Markdown shows it, whatever characters a programme's name or plan holds."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def to_write_heading(prompt: str) -> str:
    return _("To write: %(what)s") % {"what": prompt}


def markdown(description: Description) -> str:
    lines = [
        f"# {_md(description.title)}",
        "",
        f"{_md(description.organisation)} · {_day(description.made_on)}",
        "",
        f"_{_md(description.note)}_",
    ]
    for section in description.sections:
        lines += ["", f"## {_md(section.heading)}"]
        if section.innokyla != section.heading:
            lines += ["", _md(_("In Innokylä: %(section)s") % {"section": section.innokyla})]
        if section.facts:
            lines.append("")
            lines += [f"- **{_md(fact.label)}:** {_md(fact.value)}" for fact in section.facts]
        for paragraph in section.paragraphs:
            lines += ["", _md(paragraph)]
        for part in section.parts:
            lines += ["", f"### {_md(part.heading)}", ""]
            if part.text:
                lines.append(_md(" ".join(part.text)))
            lines += [f"- {_md(item)}" for item in part.items]
        for prompt in section.to_write:
            lines += ["", f"### {_md(to_write_heading(prompt))}", "", f"_{_md(_('Pilotti cannot know this.'))}_"]
    return "\n".join(lines) + "\n"


# --- DOCX (python-docx) -------------------------------------------------------------------------


def docx(description: Description) -> bytes:
    from docx import Document  # imported here: only this download needs it

    document = Document()
    properties = document.core_properties
    properties.title = description.title
    properties.author = description.organisation
    properties.language = description.language
    document.add_heading(description.title, level=0)
    document.add_paragraph(f"{description.organisation} · {_day(description.made_on)}")
    document.add_paragraph().add_run(description.note).italic = True
    for section in description.sections:
        document.add_heading(section.heading, level=1)
        if section.innokyla != section.heading:
            document.add_paragraph(_("In Innokylä: %(section)s") % {"section": section.innokyla})
        if section.facts:
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for fact in section.facts:
                cells = table.add_row().cells
                cells[0].text = fact.label
                cells[1].text = fact.value
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for part in section.parts:
            document.add_heading(part.heading, level=2)
            if part.text:
                document.add_paragraph(" ".join(part.text))
            for item in part.items:
                document.add_paragraph(item, style="List Bullet")
        for prompt in section.to_write:
            document.add_heading(to_write_heading(prompt), level=2)
            document.add_paragraph().add_run(_("Pilotti cannot know this.")).italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
