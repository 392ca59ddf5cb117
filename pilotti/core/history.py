"""Saving a change so that its history names who made it, and why.

django-simple-history reads the acting user and the reason off the instance when the save
signal fires (``_history_user``, ``_change_reason``); Django's model types do not declare those
attributes, so every service used to set them with a type-checker exemption. This is the one
place that sets them.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

M = TypeVar("M", bound=models.Model)


def mark_history(instance: models.Model, *, actor: AbstractBaseUser | None, reason: str = "") -> None:
    """The next history row of the instance (a save or a delete) records ``actor`` and ``reason``."""
    setattr(instance, "_history_user", actor)  # noqa: B010
    if reason:
        setattr(instance, "_change_reason", reason)  # noqa: B010


def save_with_history(
    instance: M, *, actor: AbstractBaseUser | None, reason: str = "", update_fields: Iterable[str] | None = None
) -> M:
    """Saves the row; its history row records ``actor`` (None: the system) and ``reason``."""
    mark_history(instance, actor=actor, reason=reason)
    instance.save(update_fields=update_fields)
    return instance
