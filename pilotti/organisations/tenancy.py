"""Which models hold one organisation's data.

A model that inherits ``TenantOwned`` has rows that belong to one organisation (through its own
``organisation`` or through the row it hangs on, as a meeting through its unit). Such rows are
read only through the owning app's scoping selectors, which take a ``Viewer``
(``organisations.viewer``); views, forms, API handlers and template tags never query them
directly. ``tests/test_door.py`` lists these models through ``tenant_owned_models()`` and fails
on a direct ``<Model>.objects`` in those modules.

A plain mixin, not an abstract model: it adds no field, manager or migration.
"""

from django.apps import apps
from django.db import models


class TenantOwned:
    """Marks a model whose rows belong to one organisation."""


def tenant_owned_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, TenantOwned)]
