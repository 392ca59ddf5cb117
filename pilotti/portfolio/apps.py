from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "pilotti.portfolio"
    verbose_name = _("Models and portfolio")
