from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "pilotti.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from pilotti.meetings import sms  # noqa: F401  (registers its system check)
