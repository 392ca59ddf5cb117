"""A file's task failed without running to its end (core/leases.py failed it: its worker was lost
as often as a task may be tried, or it ran past its time limit): the file is marked failed, so
the waiting page says so at once instead of waiting on."""

from typing import Any

from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus

from pilotti.evaluation.models import GeneratedFile

MAKE_FILE = "pilotti.evaluation.tasks.make_file"


def file_task_finished(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path != MAKE_FILE:
        return
    GeneratedFile.objects.filter(uuid=task_result.args[0], status=GeneratedFile.Status.PENDING).update(
        status=GeneratedFile.Status.FAILED, finished_at=timezone.now()
    )
