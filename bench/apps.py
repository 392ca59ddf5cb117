from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    """Scale data and benchmarks (docs/benchmarks.md). No models, no URLs in production."""

    name = "pilotti.scale"
    verbose_name = _("Scale data and benchmarks")
