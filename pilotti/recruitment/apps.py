from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "pilotti.recruitment"
    verbose_name = _("Recruitment")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pilotti.recruitment import counts

        post_migrate.connect(counts.after_migrate, sender=self, dispatch_uid="pilotti.recruitment.counts")
