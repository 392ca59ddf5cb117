"""An instrument version as plain data: what the JSON file holds and what scoring reads.

The database (models.py) stores the same structure as rows so that it can be queried;
``fileformat.py`` turns a JSON file into these classes and back, ``selectors.spec_of`` reads
them from the database, and ``scoring.py`` computes scores from them without any database.
Keeping one plain description makes "did this edit change anything?" an equality test.
"""

from dataclasses import dataclass, field

# The participants' languages (issue 7); staff pages use fi, sv and en.
PARTICIPANT_LANGUAGES = ("fi", "sv", "en", "ar", "so", "fa", "ru", "uk")

# Wording in several languages: {"fi": "…", "en": "…"}.
Text = dict[str, str]


class ItemType:
    SCALE = "scale"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    FREE_TEXT = "free_text"
    NUMBER = "number"
    DATE = "date"
    ALL = (SCALE, SINGLE_CHOICE, MULTIPLE_CHOICE, FREE_TEXT, NUMBER, DATE)
    # Only these give one number per answer, so only these can count in a score.
    NUMERIC = (SCALE, SINGLE_CHOICE, NUMBER)
    WITH_OPTIONS = (SINGLE_CHOICE, MULTIPLE_CHOICE)


class Method:
    SUM = "sum"
    MEAN = "mean"
    SCALED = "scaled"  # the raw sum times a multiplier, or looked up in a conversion table
    SUBSCALES = "subscales"  # no total: only the subscales are scored (e.g. 3X10D's domains)
    NONE = "none"  # not scored: feedback, surveys
    ALL = (SUM, MEAN, SCALED, SUBSCALES, NONE)


class MissingRule:
    ALL_REQUIRED = "all_required"  # no total if any scored item is missing
    PRORATE = "prorate"  # prorate when at most ``max_missing`` scored items are missing
    ALL = (ALL_REQUIRED, PRORATE)


class Direction:
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    ALL = (HIGHER_IS_BETTER, LOWER_IS_BETTER)


class ReliabilityKind:
    ALPHA = "alpha"
    TEST_RETEST = "test_retest"
    ALL = (ALPHA, TEST_RETEST)


@dataclass(frozen=True)
class OptionSpec:
    value: int
    label: Text = field(default_factory=dict)


@dataclass(frozen=True)
class ItemSpec:
    key: str
    type: str
    text: Text = field(default_factory=dict)
    options: tuple[OptionSpec, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    min_label: Text = field(default_factory=dict)
    max_label: Text = field(default_factory=dict)
    required: bool = True
    reverse_scored: bool = False
    subscale: str = ""
    is_safety_item: bool = False
    scored: bool = True

    @property
    def counts_in_score(self) -> bool:
        return self.scored and self.type in ItemType.NUMERIC

    @property
    def value_range(self) -> tuple[float, float] | None:
        """The lowest and highest possible answer, from the options or the scale's ends."""
        if self.type == ItemType.SINGLE_CHOICE and self.options:
            values = [option.value for option in self.options]
            return float(min(values)), float(max(values))
        if self.min_value is not None and self.max_value is not None:
            return self.min_value, self.max_value
        return None


@dataclass(frozen=True)
class BandSpec:
    """A severity band, both ends included: a score in [low, high] falls in it."""

    key: str
    low: float
    high: float
    label: Text = field(default_factory=dict)


@dataclass(frozen=True)
class SubscaleSpec:
    key: str
    name: Text = field(default_factory=dict)
    method: str = Method.SUM  # sum or mean
    bands: tuple[BandSpec, ...] = ()


@dataclass(frozen=True)
class ScoringSpec:
    method: str = Method.NONE
    multiplier: float | None = None
    # raw sum → converted score (SWEMWBS's metric scores); keys are whole raw sums.
    conversion_table: tuple[tuple[int, float], ...] = ()
    missing_rule: str = MissingRule.ALL_REQUIRED
    max_missing: int = 0
    direction: str = Direction.HIGHER_IS_BETTER
    bands: tuple[BandSpec, ...] = ()
    # The cut-off between the clinical and the non-clinical range (Jacobson–Truax c): with
    # lower-is-better a score at or above it is clinical, with higher-is-better at or below it.
    clinical_cutoff: float | None = None
    reliability: float | None = None
    reliability_kind: str = ""
    functional_mean: float | None = None
    functional_sd: float | None = None
    clinical_mean: float | None = None
    clinical_sd: float | None = None
    # A published minimum change in points, used when SD and reliability are not known.
    reliable_change_points: float | None = None
    notes: str = ""

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER_IS_BETTER


@dataclass(frozen=True)
class VersionSpec:
    items: tuple[ItemSpec, ...]
    scoring: ScoringSpec = field(default_factory=ScoringSpec)
    subscales: tuple[SubscaleSpec, ...] = ()
    languages: tuple[str, ...] = ()  # languages whose wording is complete (official, for validated ones)
    title: Text = field(default_factory=dict)
    instructions: Text = field(default_factory=dict)

    def item(self, key: str) -> ItemSpec:
        return next(item for item in self.items if item.key == key)


@dataclass(frozen=True)
class InstrumentSpec:
    """An instrument and one version of it: the unit of import and export."""

    key: str
    name: str
    version: VersionSpec
    description: str = ""
    source: str = ""
    licence: str = ""
    shows_wording: bool = True
    is_validated: bool = False
    # The name and description per language, for staff pages (``name``/``description`` when a
    # language has none): the library's own forms in all eight, validated instruments only in the
    # languages whose wording they have (elsewhere their published name is a proper name).
    names: Text = field(default_factory=dict)
    descriptions: Text = field(default_factory=dict)


def name_in(names: Text, name: str, language: str | None) -> str:
    """An instrument's name in a language (``InstrumentSpec.names``), else its own name."""
    return names.get(language or "") or name


def text_in(text: Text, language: str, fallback: str = "") -> str:
    """The wording in a language, else English, else any; for staff pages."""
    return text.get(language) or text.get("en") or next(iter(text.values()), fallback)
