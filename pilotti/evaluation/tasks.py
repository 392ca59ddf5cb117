"""Background tasks of the evaluation app (django-tasks; docs/deployment.md, "Workers")."""

from django_tasks import task

from pilotti.evaluation import files


@task()
def make_file(file_uuid: str) -> None:
    """Makes a report PDF or a data export asked for on the report page (files.request_file)."""
    files.build(file_uuid)
