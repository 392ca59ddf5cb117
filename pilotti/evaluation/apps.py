import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "pilotti.evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        # WeasyPrint logs its progress at INFO (from import on) and every browser-only rule of
        # pilotti.css as a warning (CSS variables in SVG fills, media queries by width); the
        # report's SVGs carry presentation attributes for it. Only its errors are worth a line.
        for name in ("weasyprint", "weasyprint.progress"):
            logging.getLogger(name).setLevel(logging.ERROR)
        from django_tasks.signals import task_finished

        from pilotti.evaluation.signals import file_task_finished

        task_finished.connect(file_task_finished, dispatch_uid="pilotti.evaluation.file_task_finished")
        from django.db.models.signals import post_migrate

        from pilotti.evaluation import versions

        post_migrate.connect(versions.after_migrate, sender=self, dispatch_uid="pilotti.evaluation.versions")
