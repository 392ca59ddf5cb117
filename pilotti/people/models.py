"""Participants, households, contact details and consents.

A participant is pseudonymous: the code, birth year, gender, languages, segment and
municipality identify nobody on their own. Everything that does identify a person lives in
``ContactDetails``, encrypted at rest, and is shown only to those who need it (selectors.py).
"""

import secrets
import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilotti.organisations.models import Organisation
from pilotti.organisations.tenancy import TenantOwned
from pilotti.people.fields import EncryptedTextField

# No 0/O, 1/I/L: the code is read aloud and copied from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(prefix: str) -> str:
    return f"{prefix}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")
    NOT_SAID = "not_said", _("prefer not to say")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("under 18")
    AGE_18_29 = "18_29", _("18–29")
    AGE_30_44 = "30_44", _("30–44")
    AGE_45_64 = "45_64", _("45–64")
    AGE_65_PLUS = "65_plus", _("65 or over")


class Participant(TenantOwned, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participants")
    code = models.CharField(_("participant code"), max_length=12, unique=True, editable=False)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    age_band = models.CharField(
        _("age band"), max_length=16, choices=AgeBand.choices, blank=True, help_text=_("When the year is not known.")
    )
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=60, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=60, blank=True)
    segment = models.CharField(
        _("segment"), max_length=200, blank=True, help_text=_("E.g. immigrant family, Finnish family.")
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.code


class Household(TenantOwned, models.Model):
    """A family enrolled as one: a parent alone or with a partner, or the whole family."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="households")
    code = models.CharField(_("household code"), max_length=12, unique=True, editable=False)
    segment = models.CharField(_("segment"), max_length=200, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.code


class Relation(models.TextChoices):
    PARENT = "parent", _("parent")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    EXPECTED_CHILD = "expected_child", _("expected child")


class HouseholdMember(models.Model):
    """A member: a participant of their own (parents, partners), or a lightweight row (children)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["household", "participant"], name="one_membership_per_household")
        ]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return f"{self.household} · {self.get_relation_display()}"


class ContactDetails(models.Model):
    """Who the participant is. Every value is encrypted at rest, in the history table too."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="contact")
    name = EncryptedTextField(_("name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    identity_code = EncryptedTextField(_("personal identity code"), blank=True)
    # Blind indexes (HMAC, see crypto.py) for finding duplicates without decrypting.
    identity_code_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    name_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "identity_code_index", "name_index"])

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self) -> str:
        return f"{self.participant_id}"


class NameToken(models.Model):
    """One keyed token (HMAC, see crypto.search_token) of a word of a person's name, or of a
    word's beginning: searching by part of a name compares tokens and never decrypts a name.
    Written only by people.search.name_tokens_save; goes with the contact details on erasure."""

    contact = models.ForeignKey(ContactDetails, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "token"], name="one_name_token_per_contact")]

    def __str__(self) -> str:
        return f"{self.contact_id}"


class ConsentPurpose(models.TextChoices):
    PARTICIPATION = "participation", _("taking part")
    EVALUATION = "evaluation", _("use of answers for evaluation")
    FOLLOW_UP = "follow_up", _("contact for a follow-up survey")
    # Taking part in an interview or focus group, and the use of what they said (interviews app).
    INTERVIEW = "interview", _("interviews and focus groups")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("written")
    VERBAL = "verbal", _("verbal")
    ELECTRONIC = "electronic", _("electronic")


class Consent(models.Model):
    """Consent for one purpose, from the day given until the day withdrawn (exclusive)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how it was given"), max_length=16, choices=ConsentMethod.choices)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["purpose", "-given_on"]
        indexes = [models.Index(fields=["participant", "purpose", "given_on"])]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.purpose} · {self.given_on}"

    def holds_on(self, day: date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)
