"""Enrolments: a participant or a household on its way into a programme, and every step it took.

The stages of the main path each keep the day they were reached (``contacted_on`` …
``completed_on``), so the funnel is a handful of conditional counts in the database. The
exits (declined, not reached, dropped out) keep their day and reason in ``ended_on`` and
``end_reason``. Every transition is also its own ``StageChange`` row with who and when.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pilotti.organisations.models import Organisation
from pilotti.organisations.tenancy import TenantOwned
from pilotti.people.models import Household, Participant
from pilotti.programmes.models import DeliveryUnit, Programme


class Stage(models.TextChoices):
    CONTACTED = "contacted", _("contacted")
    INTERESTED = "interested", _("interested")
    WAITING = "waiting", _("on the waiting list")
    ENROLLED = "enrolled", _("enrolled")
    STARTED = "started", _("started")
    COMPLETED = "completed", _("completed")
    DECLINED = "declined", _("declined")
    NOT_REACHED = "not_reached", _("not reached")
    DROPPED_OUT = "dropped_out", _("dropped out")


# The main path, in order; each stage has its own date field on Enrolment.
PATH = (Stage.CONTACTED, Stage.INTERESTED, Stage.ENROLLED, Stage.STARTED, Stage.COMPLETED)
EXITS = (Stage.DECLINED, Stage.NOT_REACHED, Stage.DROPPED_OUT)
FINAL = (Stage.COMPLETED, *EXITS)
# Stages that hold a place in a unit.
HOLDS_PLACE = (Stage.ENROLLED, Stage.STARTED, Stage.COMPLETED)


class ReferralSource(models.TextChoices):
    CHILD_HEALTH_CLINIC = "child_health_clinic", _("child health clinic")
    INTEGRATION_PLAN = "integration_plan", _("integration plan")
    OUTREACH = "outreach", _("outreach")
    SELF = "self", _("self-referral")
    SOCIAL_SERVICES = "social_services", _("social services")
    SCHOOL = "school", _("school")
    NGO = "ngo", _("NGO")
    OTHER = "other", _("other")


class Enrolment(TenantOwned, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The organisation that holds the participant's data.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="enrolments")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    unit = models.ForeignKey(
        DeliveryUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments", verbose_name=_("unit")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments")
    referral_source = models.CharField(_("referral source"), max_length=24, choices=ReferralSource.choices)
    # The name of one of the programme's TargetSegments (those are replaced when the plan is
    # edited, so the name, not a foreign key, is what stays stable).
    segment = models.CharField(_("segment it counts against"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.CONTACTED)
    contacted_on = models.DateField(_("contacted on"))
    interested_on = models.DateField(_("interested on"), null=True, blank=True)
    waitlisted_on = models.DateField(_("on the waiting list since"), null=True, blank=True)
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-contacted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=False, household__isnull=True)
                | Q(participant__isnull=True, household__isnull=False),
                name="enrolment_of_a_participant_or_a_household",
            )
        ]
        indexes = [
            models.Index(fields=["programme", "stage"]),
            models.Index(fields=["unit", "stage"]),
            # The programme's funnel counts every enrolment of the programme, grouped by segment and
            # stage (recruitment.selectors): this index holds every column that query reads, in
            # its grouping order, so it never reads the table (a national programme: 30 000 rows).
            models.Index(
                fields=[
                    "programme",
                    "segment",
                    "stage",
                    "organisation",
                    "unit",
                    "interested_on",
                    "enrolled_on",
                    "started_on",
                    "completed_on",
                ],
                name="enrolment_funnel",
            ),
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.who} → {self.programme_id}"

    @property
    def who(self) -> Participant | Household:
        who = self.participant or self.household
        if who is None:  # never: the check constraint requires one of them
            raise ValueError(f"Enrolment {self.pk} has neither a participant nor a household.")
        return who

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL


class StageChange(models.Model):
    """One step of an enrolment, kept for good: who moved it, when, and to which unit."""

    class Kind(models.TextChoices):
        STEP = "step", _("step")
        CORRECTION = "correction", _("correction")
        UNDO = "undo", _("undo")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(
        pgettext_lazy("stage change", "from"), max_length=16, choices=Stage.choices, blank=True
    )
    to_stage = models.CharField(pgettext_lazy("stage change", "to"), max_length=16, choices=Stage.choices)
    on = models.DateField(_("date"))
    unit = models.ForeignKey(DeliveryUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    # A mistake is never overwritten silently: a correction or an undo is its own row pointing at
    # the step it corrects, keeping the date and reason the step had before.
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STEP)
    corrects = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="corrections", verbose_name=_("corrects")
    )
    previous_on = models.DateField(_("date before the correction"), null=True, blank=True)
    previous_reason = models.CharField(_("reason before the correction"), max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage} ({self.on})"


class FunnelCount(models.Model):
    """The funnel's counts per programme, organisation, unit, segment and current stage, kept by
    the database itself (triggers on the enrolment table, ``recruitment.counts``) in the same
    statement as every insert, update and delete of an enrolment, whichever code path makes it.

    The funnel pages read these few rows instead of counting a programme's enrolments, so they
    cost the same for 100 or 100 000 people (issue 24). The keys are plain numbers, not foreign
    keys: a row follows its enrolments and disappears with the last of them, so deleting a unit or
    a programme never has to order its deletes around these rows.
    """

    programme_key = models.BigIntegerField()
    organisation_key = models.BigIntegerField()
    # 0: not in a unit yet (a NULL would escape the unique key); -1: all the organisation's units
    # (recruitment.counts.ALL_UNITS).
    unit_key = models.BigIntegerField()
    segment = models.CharField(max_length=200)
    stage = models.CharField(max_length=16, choices=Stage.choices)
    # ``contacted`` is the number of enrolments; the others how many of them reached that step.
    contacted = models.IntegerField()
    interested = models.IntegerField()
    enrolled = models.IntegerField()
    started = models.IntegerField()
    completed = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme_key", "unit_key", "organisation_key", "segment", "stage"], name="funnel_count_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.segment or '—'} · {self.stage}: {self.contacted}"
