"""Claim rows: doing a thing at most once, even when two servers run the same cron job.

A claim is a row whose unique constraint names the thing ("this meeting's reminder to this
person", "the second reminder of this invitation"). It is written and committed *before* the
thing is done: a parallel run that tries to write the same row gets an IntegrityError and
skips. If doing the thing fails, the caller deletes the row so that the next run tries again;
a crash between the two loses the thing rather than doing it twice. Works the same on SQLite
and PostgreSQL (the unique index decides; no row locks are held while sending).
"""

from typing import TypeVar

from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)


def claim(model: type[M], **fields: object) -> M | None:
    """The new claim row, or None when another run (or an earlier one) already wrote it."""
    try:
        with transaction.atomic():
            return model._default_manager.create(**fields)
    except IntegrityError:
        return None
