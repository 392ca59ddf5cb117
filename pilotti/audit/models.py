"""The access log (käyttöloki): who used whose data, what, when, from where and why.

Required by the Finnish client-data act (703/2023) for every use of a client's data. Rows are
written by ``audit.services.log_access`` and never changed: ``save()`` refuses to update,
``delete()`` refuses, and so do the queryset's ``update()`` and ``delete()``. On PostgreSQL a
trigger refusing UPDATE and DELETE at database level is planned (issue 9, docs/people.md).
"""

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotti.audit.items import item_label
from pilotti.organisations.models import Role


class AppendOnlyError(Exception):
    """The access log (and the other logs built like it) is append-only."""


class Action(models.TextChoices):
    VIEW = "view", _("view")
    SEARCH = "search", _("search")
    PRINT = "print", _("print")
    EXPORT = "export", _("export")
    CHANGE = "change", _("change")
    SEND = "send", _("send a message")


class Category(models.TextChoices):
    PROFILE = "profile", _("pseudonymous profile")
    CONTACT_DETAILS = "contact_details", _("contact details")
    IDENTITY_CODE = "identity_code", _("personal identity code")
    CONSENTS = "consents", _("consents")
    ENROLMENTS = "enrolments", _("enrolments")
    HOUSEHOLD = "household", _("household")
    ANSWERS = "answers", _("questionnaire answers")
    ACCESS_LOG = "access_log", _("access log and security events")


class Purpose(models.TextChoices):
    CLIENT_WORK = "client_work", _("working with the participant's record")
    RECRUITMENT = "recruitment", _("recruitment and enrolment")
    SEARCH = "search", _("finding a participant")
    IMPORT = "import", _("importing participants")
    HOUSEHOLD = "household", _("working with the household's record")
    ROLL_CALL = "roll_call", _("taking the roll call")
    REMINDER = "reminder", _("sending a meeting reminder")
    QUESTIONNAIRE = "questionnaire", _("questionnaires and safety alerts")
    EVALUATION = "evaluation", _("evaluating the programme")
    SUPERVISION = "supervision", _("data protection supervision")


class Result(models.TextChoices):
    SHOWN = "shown", _("shown")
    SAVED = "saved", _("saved")
    FOUND = "found", _("found")
    NOT_FOUND = "not_found", _("nothing found")


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log cannot be deleted.")


class AccessLog(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)  # stored in UTC
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # Copies, so the row still says who it was if the account or membership changes later.
    user_email = models.CharField(_("user"), max_length=254)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.PROTECT, null=True, related_name="access_log"
    )
    participant_code = models.CharField(_("participant"), max_length=12, blank=True)
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    category = models.CharField(_("data"), max_length=16, choices=Category.choices)
    item = models.CharField(_("details"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.SHOWN)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        base_manager_name = "objects"
        indexes = [models.Index(fields=["participant", "-at"])]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_email} {self.action} {self.participant_code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The access log cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log cannot be deleted.")

    @property
    def item_label(self) -> str:
        """The item in the reader's language where it is a known phrase (audit/items.py)."""
        return item_label(self.item)


# --- Security events (ASVS 16.2–16.4) ------------------------------------------------------------


class EventKind(models.TextChoices):
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    SECOND_FACTOR_FAILED = "mfa_failed", _("second factor failed")
    LOCKED_OUT = "locked_out", _("locked out")
    SIGN_OUT = "sign_out", _("signed out")
    REFUSED = "refused", _("access refused")
    NOT_FOUND = "not_found", _("object not found")
    CSRF_FAILED = "csrf_failed", _("form check failed (CSRF)")
    RATE_LIMITED = "rate_limited", _("too many requests")
    MFA_ADDED = "mfa_added", _("second factor added")
    MFA_REMOVED = "mfa_removed", _("second factor removed")
    RECOVERY_CODES_REGENERATED = "mfa_reset", _("recovery codes regenerated")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    PASSWORD_RESET_REQUESTED = "reset_requested", _("password reset requested")
    PASSWORD_RESET = "password_reset", _("password reset")


class SecurityEventQuerySet(models.QuerySet["SecurityEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The security event log cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The security event log cannot be deleted.")


class SecurityEvent(models.Model):
    """One security-relevant event of the whole installation: sign-ins, refusals, MFA and
    password changes. Written by ``audit.security`` from signals and a middleware, never changed.

    What a person typed as their sign-in name is kept only as a keyed hash (``identifier_hash``),
    so a mistyped password in that field is never stored, yet repeated attempts on one name
    can still be grouped. Everything else is stored as plain data and escaped on display.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)  # stored in UTC
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    user_email = models.CharField(_("user"), max_length=254, blank=True)
    identifier_hash = models.CharField(_("sign-in name (hashed)"), max_length=16, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    method = models.CharField(max_length=8, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True)
    detail = models.CharField(_("details"), max_length=200, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        base_manager_name = "objects"
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.user_email}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The security event log cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The security event log cannot be deleted.")
