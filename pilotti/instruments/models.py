"""Instruments (questionnaires) as data, their versions, and the responses given on them.

An instrument belongs to an organisation, or to nobody: the shipped library. Its structure
lives in a version: items, options, subscales, bands and the scoring rule, as ordinary rows so
that reports can query them. A version is frozen once any response uses it; an edit then makes
the next version, and every answer stays tied to the version it was given on.

The plain-data form of a version is ``spec.VersionSpec`` (built by ``selectors.spec_of``);
``scoring.score`` reads only that.
"""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pilotti.instruments.spec import Direction, ItemType, Method, MissingRule, ReliabilityKind, name_in, text_in
from pilotti.organisations.models import Organisation
from pilotti.organisations.tenancy import TenantOwned

if TYPE_CHECKING:  # a development dependency: the type of gettext_lazy's result
    from django_stubs_ext import StrOrPromise


def _choices(values: tuple[str, ...], labels: dict[str, "StrOrPromise"]) -> list[tuple[str, "StrOrPromise"]]:
    return [(value, labels[value]) for value in values]


ITEM_TYPES = _choices(
    ItemType.ALL,
    {
        ItemType.SCALE: _("scale"),
        ItemType.SINGLE_CHOICE: _("single choice"),
        ItemType.MULTIPLE_CHOICE: _("multiple choice"),
        ItemType.FREE_TEXT: _("free text"),
        ItemType.NUMBER: _("number"),
        ItemType.DATE: _("date"),
    },
)
METHODS = _choices(
    Method.ALL,
    {
        Method.SUM: _("sum of the items"),
        Method.MEAN: _("mean of the items"),
        Method.SCALED: _("scaled sum (multiplier or conversion table)"),
        Method.SUBSCALES: _("subscales only, no total"),
        Method.NONE: _("not scored"),
    },
)
MISSING_RULES = _choices(
    MissingRule.ALL,
    {
        MissingRule.ALL_REQUIRED: _("no total if any item is missing"),
        MissingRule.PRORATE: _("prorate when only a few items are missing"),
    },
)
DIRECTIONS = _choices(
    Direction.ALL,
    {Direction.HIGHER_IS_BETTER: _("higher is better"), Direction.LOWER_IS_BETTER: _("lower is better")},
)
RELIABILITY_KINDS = [
    ("", _("not known")),
    *_choices(
        ReliabilityKind.ALL,
        {ReliabilityKind.ALPHA: _("internal consistency (alpha)"), ReliabilityKind.TEST_RETEST: _("test–retest")},
    ),
]


class Instrument(TenantOwned, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(_("key"), max_length=60, help_text=_("A short name for files, e.g. who-5."))
    # None: Pilotti's shipped library, visible to every organisation and changed only by the loader.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="instruments"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Per language ({"fi": …}); a language without one shows ``name``/``description`` (spec.py).
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    descriptions = models.JSONField(_("descriptions by language"), default=dict, blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Citation or owner."))
    licence = models.TextField(_("licence"), blank=True)
    shows_wording = models.BooleanField(
        _("wording may be shown"),
        default=True,
        help_text=_("Off when the owner's permission is needed for the item wording: only neutral labels are kept."),
    )
    is_validated = models.BooleanField(_("validated instrument"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="one_instrument_key_per_organisation"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(organisation__isnull=True), name="one_library_instrument_key"
            ),
        ]

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        """The name in the language of the page being made (pickers, headings, files)."""
        return name_in(self.names, self.name, translation.get_language())

    @property
    def local_description(self) -> str:
        return self.descriptions.get(translation.get_language() or "") or self.description

    @property
    def is_library(self) -> bool:
        return self.organisation_id is None


class InstrumentVersion(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # Languages whose wording is complete; for a validated instrument, its official translations only.
    languages = models.JSONField(_("languages with wording"), default=list, blank=True)
    title = models.JSONField(_("title shown to participants"), default=dict, blank=True)
    instructions = models.JSONField(_("instructions"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["instrument", "-number"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    @property
    def is_used(self) -> bool:
        """A used version is frozen: answers were given on exactly this wording and scoring."""
        return self.responses.exists()

    def title_in(self, language: str) -> str:
        return text_in(self.title, language, self.instrument.name)


class Subscale(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="subscales")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(_("key"), max_length=60)
    name = models.JSONField(_("name"), default=dict, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=METHODS[:2], default=Method.SUM)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_subscale_key_per_version")]

    def __str__(self) -> str:
        return self.key


class Item(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(_("key"), max_length=60)
    type = models.CharField(_("type"), max_length=20, choices=ITEM_TYPES)
    text = models.JSONField(_("text"), default=dict, blank=True)
    min_value = models.FloatField(_("lowest value"), null=True, blank=True)
    max_value = models.FloatField(_("highest value"), null=True, blank=True)
    min_label = models.JSONField(_("label of the lowest value"), default=dict, blank=True)
    max_label = models.JSONField(_("label of the highest value"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)
    reverse_scored = models.BooleanField(_("reverse-scored"), default=False)
    subscale = models.ForeignKey(
        Subscale, on_delete=models.PROTECT, null=True, blank=True, related_name="items", verbose_name=_("subscale")
    )
    is_safety_item = models.BooleanField(
        _("safety item"), default=False, help_text=_("An answer above zero raises an alert at once.")
    )
    scored = models.BooleanField(_("counts in the score"), default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_item_key_per_version")]

    def __str__(self) -> str:
        return self.key

    def text_in(self, language: str) -> str:
        return text_in(self.text, language, self.key)


class Option(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    value = models.IntegerField(_("value"))
    label = models.JSONField(_("label"), default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "value"], name="one_option_value_per_item")]

    def __str__(self) -> str:
        return f"{self.value}"

    def label_in(self, language: str) -> str:
        return text_in(self.label, language, str(self.value))


class ScoringRule(models.Model):
    """How a version is scored, and the constants for reliable change (docs/statistics.md, Reliable change)."""

    version = models.OneToOneField(InstrumentVersion, on_delete=models.CASCADE, related_name="scoring")
    method = models.CharField(_("scoring method"), max_length=16, choices=METHODS, default=Method.NONE)
    multiplier = models.FloatField(_("multiplier"), null=True, blank=True)
    conversion_table = models.JSONField(_("conversion table"), default=list, blank=True)  # [[raw, converted], …]
    missing_rule = models.CharField(
        _("missing items"), max_length=16, choices=MISSING_RULES, default=MissingRule.ALL_REQUIRED
    )
    max_missing = models.PositiveSmallIntegerField(_("items that may be missing"), default=0)
    direction = models.CharField(
        _("direction of improvement"), max_length=20, choices=DIRECTIONS, default=Direction.HIGHER_IS_BETTER
    )
    clinical_cutoff = models.FloatField(_("clinical cut-off"), null=True, blank=True)
    reliability = models.FloatField(_("reliability"), null=True, blank=True)
    reliability_kind = models.CharField(_("kind of reliability"), max_length=16, choices=RELIABILITY_KINDS, blank=True)
    functional_mean = models.FloatField(_("norm mean, general population"), null=True, blank=True)
    functional_sd = models.FloatField(_("norm SD, general population"), null=True, blank=True)
    clinical_mean = models.FloatField(_("norm mean, clinical population"), null=True, blank=True)
    clinical_sd = models.FloatField(_("norm SD, clinical population"), null=True, blank=True)
    reliable_change_points = models.FloatField(_("published reliable change in points"), null=True, blank=True)
    notes = models.TextField(_("notes on scoring"), blank=True)

    def __str__(self) -> str:
        return f"{self.version}: {self.method}"


class Band(models.Model):
    """A severity band of the total (subscale None) or of one subscale; both ends included."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="bands")
    subscale = models.ForeignKey(Subscale, on_delete=models.CASCADE, null=True, blank=True, related_name="bands")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(_("key"), max_length=60)
    low = models.FloatField(pgettext_lazy("score band", "from"))
    high = models.FloatField(pgettext_lazy("score band", "to"))
    label = models.JSONField(_("label"), default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.key} {self.low}–{self.high}"

    def label_in(self, language: str) -> str:
        return text_in(self.label, language, self.key)


# --- Responses: filled questionnaires (written by the answering pages, part B) ---------------


class Mode(models.TextChoices):
    PERSONAL_LINK = "personal_link", _("personal link")
    CLIENT_PANEL = "client_panel", _("client panel")
    PAPER = "paper", _("paper, typed in by staff")
    STAFF = "staff", _("staff rating")


class Response(TenantOwned, models.Model):
    """One filled questionnaire. ``submitted_at`` is empty while a personal-link answer is paused.

    The scores are computed by ``scoring.score`` on submission and stored here, so reports can
    aggregate them in the database (``services.response_record`` / ``response_rescore``).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="responses")
    # None: anonymous (client panel). Anonymous answers cannot raise a personal alert.
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    mode = models.CharField(_("answered by"), max_length=16, choices=Mode.choices)
    language = models.CharField(_("language"), max_length=8)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Computed by scoring.score; None where the rule gives no total (too many items missing, not scored).
    total = models.FloatField(_("total score"), null=True, blank=True)
    mean_item_score = models.FloatField(_("mean item score"), null=True, blank=True)
    band = models.ForeignKey(Band, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subscale_scores = models.JSONField(default=dict, blank=True)  # {key: score or None}
    missing_items = models.JSONField(default=list, blank=True)
    is_prorated = models.BooleanField(default=False)
    safety_flagged = models.BooleanField(_("safety item answered above zero"), default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["version", "submitted_at"]),
            models.Index(fields=["participant", "version"]),
            models.Index(fields=["meeting", "version"]),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.mode} {self.submitted_at or '…'}"


class Answer(models.Model):
    """One item's answer: a number (scale, single choice, number), chosen options, text or a date."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.FloatField(null=True, blank=True)
    choices = models.ManyToManyField(Option, blank=True, related_name="answers")
    text = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.item.key}"


class TranslationPack(TenantOwned, models.Model):
    """An organisation's licensed or official translation of a version's wording into one language.

    Only the wording (``packs.Wording``): the version's structure and scoring stay as they are, and
    the pack is refused if its file says otherwise (``packs.differences``). The licence is the
    organisation's, so the pack is used only on its own answering pages and is never shipped."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="translation_packs")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="translation_packs")
    language = models.CharField(_("language"), max_length=8)
    source = models.TextField(
        _("source of the translation"), help_text=_("Who translated it and where it is published.")
    )
    licence = models.TextField(
        _("licence"), help_text=_("What the owner allows, e.g. a written permission and its date.")
    )
    # {"title": …, "instructions": …, "items": {key: {"text", "min_label", "max_label", "options": {value: label}}}}
    wording = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["language"]
        verbose_name = _("translation pack")
        verbose_name_plural = _("translation packs")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version", "language"], name="one_translation_pack_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.language}"
