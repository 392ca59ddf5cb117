from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "pilotti.surveys"
    label = "surveys"
    verbose_name = _("Answering questionnaires")

    def ready(self) -> None:
        # The measurement plan's invitations send this app's personal links (measurement sits below).
        from pilotti.measurement.invitations import register_links
        from pilotti.surveys.invitations import InvitationLinks

        register_links(InvitationLinks())
