"""The rate limits' counters (pilotti.core.ratelimit): one row per limit, hashed key and window."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    # "<limit>:<sha256 of the key, 32 hex>:<window index>": never a token or an address in plain text.
    key = models.CharField(max_length=150, primary_key=True)
    count = models.PositiveBigIntegerField(default=0)
    # Unix time at which the window closes; from then on the row may be deleted (ratelimit.prune).
    expires = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class OnceKey(models.Model):
    """A rendered form's one-time key, once the form's answer is stored (pilotti.core.once).

    The key is written in the same transaction as the answer: the unique primary key makes a
    resend of the same form (a reload, a retry after a connection reset) fail instead of storing
    the answer twice, while a rolled-back answer leaves the key free for the next try."""

    # SHA-256 of "<form's scope>:<key>": the key itself is never stored.
    key = models.CharField(max_length=64, primary_key=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("one-time form key")
        verbose_name_plural = _("one-time form keys")

    def __str__(self) -> str:
        return self.key[:8]


class TaskLease(models.Model):
    """A background task being run, renewed by its worker's heartbeat (pilotti.core.leases).

    django-tasks-db marks a task RUNNING and never looks at it again; a lease that is not renewed
    says that the worker running it is gone."""

    task_id = models.UUIDField(primary_key=True)  # django_tasks_db.DBTaskResult's id
    worker_id = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return f"{self.task_id} · {self.worker_id}"
