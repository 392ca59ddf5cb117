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
