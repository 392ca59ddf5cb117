import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilotti.organisations.tenancy import TenantOwned
from pilotti.organisations.validators import validate_business_id


class Organisation(models.Model):
    class Kind(models.TextChoices):
        WELLBEING_COUNTY = "wellbeing_county", _("wellbeing services county")
        MUNICIPALITY = "municipality", _("municipality")
        JOINT_AUTHORITY = "joint_authority", _("joint municipal authority")
        NGO = "ngo", _("non-governmental organisation")
        COMPANY = "company", _("company")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    business_id = models.CharField(
        _("business ID (Y-tunnus)"), max_length=9, unique=True, validators=[validate_business_id]
    )
    is_demo = models.BooleanField(_("demo organisation"), default=False)
    # The person's rights (pilotti.rights, docs/rights.md).
    retention_years_after_programme = models.PositiveSmallIntegerField(
        _("years personal data is kept after the programme ends"), default=5
    )
    statutory_retention_years = models.PositiveSmallIntegerField(
        _("statutory retention of client documents, in years"),
        null=True,
        blank=True,
        help_text=_("E.g. 10 for working-age services, 30 for family services. Empty: no statutory period."),
    )
    erasure_policy = models.CharField(
        _("answers of an erased person"),
        max_length=16,
        choices=[
            ("keep_anonymised", _("keep them anonymised, so that reports stay the same")),
            ("delete_answers", _("delete them")),
        ],
        default="keep_anonymised",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("organisation admin")
    COORDINATOR = "coordinator", _("coordinator")
    FACILITATOR = "facilitator", _("facilitator")
    EVALUATOR = "evaluator", _("evaluator")


# The one organisation whose memberships the current request may use, or None for all. Set for a
# session that an organisation's own sign-in service made (pilotti.sso.middleware): that service
# vouches for the person in its own organisation only (issue 19, finding 1).
_ONLY_ORGANISATION: ContextVar[int | None] = ContextVar("only_organisation", default=None)


@contextmanager
def memberships_limited_to(organisation_id: int) -> Iterator[None]:
    token = _ONLY_ORGANISATION.set(organisation_id)
    try:
        yield
    finally:
        _ONLY_ORGANISATION.reset(token)


class MembershipManager(models.Manager["Membership"]):
    """Every membership query of a limited request sees only the one organisation's memberships.

    The default manager, so that every selector, permission check and related manager
    (``user.memberships``) is limited without knowing of it; ``Membership.everywhere`` is for the
    one page that lists what a limited session cannot use.
    """

    def get_queryset(self) -> models.QuerySet["Membership"]:
        memberships = super().get_queryset()
        only = _ONLY_ORGANISATION.get()
        return memberships if only is None else memberships.filter(organisation_id=only)


class Membership(TenantOwned, models.Model):
    """A staff member's role in one organisation. Deactivated, never deleted: history stays."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    title = models.CharField(
        _("job title"), max_length=120, blank=True, help_text=_("E.g. social counsellor, peer instructor, interpreter.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MembershipManager()
    # Not limited: for the page that lists what a limited session may not use (pilotti.sso).
    everywhere = models.Manager()  # noqa: DJ012  (ruff takes the custom default manager for a field)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_organisation")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


def invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=7)


class Invitation(TenantOwned, models.Model):
    """An e-mailed link that makes its recipient a member with the given role.

    Only a SHA-256 of the token is stored: a leaked database does not leak usable links.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    # Empty for the first admin of an organisation, invited from the command line.
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
