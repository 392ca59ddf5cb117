from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceUseConfig(AppConfig):
    name = "pilotti.serviceuse"
    verbose_name = _("Service use")
