from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "pilotti.rights"
    verbose_name = _("the person's rights")
