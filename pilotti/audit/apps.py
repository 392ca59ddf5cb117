from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pilotti.audit"
    verbose_name = _("Access log")

    def ready(self) -> None:
        from pilotti.audit import security  # noqa: F401  (connects the security-event receivers)
