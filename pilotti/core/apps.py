from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pilotti.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from pilotti.core import client_address  # noqa: F401  (registers its system check)
