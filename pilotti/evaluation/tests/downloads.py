"""Asking for a PDF or an export as a browser does: the request, its 303 to the download (tasks
run at once in tests), and the file's bytes; and the worker of the database queue."""

from dataclasses import dataclass, field
from io import StringIO
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client


@dataclass
class Fetched:
    status_code: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> str:
        return self.headers[name]


def fetch(client: Client, url: str, query: dict[str, Any] | None = None, *, method: str = "get") -> Fetched:
    """Follows the 303s of the file views (not other redirects, such as to re-authentication).
    A POST (the report PDF) sends the filters in the query string, as the report page's form does."""
    if method == "post":
        response = client.post(f"{url}?{urlencode(query)}" if query else url)
    else:
        response = client.get(url, query or {})
    redirects = []
    while response.status_code == 303:
        redirects.append(response["Location"])
        response = client.get(response["Location"])
    content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return Fetched(response.status_code, content, dict(response.headers), redirects)


def run_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """What `manage.py db_worker` does on a server, once through the queue, in the test's process.

    The worker closes "old" database connections between tasks, as Django does between requests;
    inside a test's transaction that would close the test's own connection on PostgreSQL."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
