"""A questionnaire as a plain HTML form: questions built from a ``VersionSpec``, answers read
back from a POST, and ``scoring.problems`` codes turned into messages in the person's language.

No Django form class: the items are data, each rendered by ``surveys/_question.html`` as a
fieldset of large tiles (radio buttons and checkboxes inside their labels) or a text field.
What the person typed is kept exactly, valid or not, so nothing is lost when a message shows.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from pilotti.instruments.scoring import AnswerValue, Problem, is_blank
from pilotti.instruments.spec import ItemSpec, ItemType, VersionSpec, text_in

if TYPE_CHECKING:  # a development dependency: the type of gettext_lazy's result
    from django_stubs_ext import StrOrPromise

# A scale with at most this many points is shown as tiles; a longer one as a number field.
MAX_TILES = 11

MESSAGES = {
    Problem.REQUIRED: _("Please answer this question."),
    Problem.NOT_AN_OPTION: _("Please choose one of the options."),
    Problem.OUT_OF_RANGE: _("Please give a number within the range shown."),
    Problem.NOT_A_WHOLE_NUMBER: _("Please give a whole number."),
    Problem.NOT_A_NUMBER: _("Please give a number, for example 3."),
    Problem.NOT_A_DATE: _("Please give a date, for example 2025-03-31."),
    Problem.NOT_TEXT: _("Please write your answer as text."),
}


@dataclass
class Choice:
    value: str
    label: str
    checked: bool
    id: str


@dataclass
class Question:
    key: str
    number: int
    kind: str  # "tiles", "checkboxes", "text", "number", "date"
    text: str
    required: bool
    choices: list[Choice] = field(default_factory=list)
    value: str = ""  # for text, number and date fields
    min_label: str = ""
    max_label: str = ""
    low: str = ""
    high: str = ""
    error: "StrOrPromise" = ""  # lazy: rendered in the participant's language by the page
    is_scale: bool = False

    @property
    def name(self) -> str:
        return f"q-{self.key}"

    @property
    def id(self) -> str:
        return f"q-{self.key}"

    @property
    def first_input_id(self) -> str:
        return self.choices[0].id if self.choices else self.id


def offered_items(spec: VersionSpec, *, anonymous: bool) -> list[ItemSpec]:
    """Anonymous answers cannot raise a personal alert, so safety items are left out there."""
    return [item for item in spec.items if not (anonymous and item.is_safety_item)]


def _format(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


def _shown(value: AnswerValue) -> list[str]:
    """An answer as the strings the form fields hold."""
    if is_blank(value):
        return []
    if isinstance(value, list | tuple):
        return [_format(v) if isinstance(v, int | float) else str(v) for v in value]
    if isinstance(value, date):
        return [value.isoformat()]
    if isinstance(value, int | float):
        return [_format(float(value))]
    return [str(value)]


def questions(
    items: list[ItemSpec], language: str, answers: Mapping[str, AnswerValue], errors: Mapping[str, str]
) -> list[Question]:
    result = []
    for number, item in enumerate(items, start=1):
        given = _shown(answers.get(item.key))
        question = Question(
            key=item.key,
            number=number,
            kind="text",
            text=text_in(item.text, language, item.key),
            required=item.required,
            error=MESSAGES.get(errors.get(item.key, ""), ""),
        )
        if item.type in ItemType.WITH_OPTIONS:
            question.kind = "checkboxes" if item.type == ItemType.MULTIPLE_CHOICE else "tiles"
            question.choices = [
                Choice(
                    str(o.value), text_in(o.label, language, str(o.value)), str(o.value) in given, f"q-{item.key}-{n}"
                )
                for n, o in enumerate(item.options)
            ]
        elif item.type == ItemType.SCALE and _is_small_scale(item):
            question.kind, question.is_scale = "tiles", True
            question.choices = [
                Choice(str(v), str(v), str(v) in given, f"q-{item.key}-{v}")
                for v in range(int(item.min_value or 0), int(item.max_value or 0) + 1)
            ]
        elif item.type in (ItemType.SCALE, ItemType.NUMBER):
            question.kind = "number"
            question.value = given[0] if given else ""
        elif item.type == ItemType.DATE:
            question.kind = "date"
            question.value = given[0] if given else ""
        else:
            question.value = given[0] if given else ""
        question.min_label = text_in(item.min_label, language, "") if item.min_label else ""
        question.max_label = text_in(item.max_label, language, "") if item.max_label else ""
        question.low, question.high = _format(item.min_value), _format(item.max_value)
        result.append(question)
    return result


def _is_small_scale(item: ItemSpec) -> bool:
    low, high = item.min_value, item.max_value
    return (
        low is not None
        and high is not None
        and float(low).is_integer()
        and float(high).is_integer()
        and 0 <= high - low < MAX_TILES
    )


def answers_from(post: QueryDict, items: list[ItemSpec]) -> dict[str, AnswerValue]:
    """The posted answers in the shape ``scoring`` takes; what does not parse is kept as typed,
    so ``scoring.problems`` names the problem and the form shows the text again."""
    answers: dict[str, AnswerValue] = {}
    for item in items:
        name = f"q-{item.key}"
        if item.type == ItemType.MULTIPLE_CHOICE:
            values = [v.strip() for v in post.getlist(name) if v.strip()]
            if values:
                answers[item.key] = [int(v) for v in values] if all(_is_int(v) for v in values) else ",".join(values)
            continue
        raw = post.get(name, "").strip()
        if item.type == ItemType.FREE_TEXT:
            raw = post.get(name, "").strip()[:5000]
        if not raw:
            continue
        if item.type == ItemType.DATE:
            try:
                answers[item.key] = date.fromisoformat(raw)
            except ValueError:
                answers[item.key] = raw  # kept as typed: "not a date"
        else:
            answers[item.key] = raw
    return answers


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit()
