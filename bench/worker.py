"""One benchmark worker: a process attached to one data set, measuring on request.

The runner (``bench.run``) starts one worker per data set and sends each a JSON line per
measurement, alternating between them, so both sides of a ratio are measured side by side
while the machine's load is the same. Each answer is one JSON line.

``python -m bench.worker`` with the data set's ``DATABASE_URL`` in the environment.
"""

import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

PAGES = ("programme", "funnel", "roll_call", "report")


class Worker:
    def __init__(self, seed: int) -> None:
        from django.test import Client
        from django.urls import reverse

        from pilotti.accounts.models import User
        from pilotti.meetings.models import Meeting
        from pilotti.programmes.models import Programme

        slug = f"skaala-{seed}"
        self.moved_meeting: tuple[int, datetime] | None = None  # (meeting, its own start) while measured
        self.programme: Programme = _largest(slug)
        self.user = User.objects.get(email=f"coordinator@{slug}.example.org")
        _with_mfa(self.user)
        # A held meeting of a unit in the middle of the programme: the roll call as a facilitator sees it.
        meetings = Meeting.objects.filter(unit__programme=self.programme, status=Meeting.Status.HELD).order_by("pk")
        self.meeting = meetings[meetings.count() // 2]
        self.client = Client()
        self.client.force_login(self.user)
        self.urls = {
            "programme": reverse("programmes:detail", args=[self.programme.slug]),
            "funnel": reverse("recruitment:programme_funnel", args=[self.programme.slug]),
            "roll_call": reverse("meetings:detail", args=[self.meeting.uuid]),
        }
        self.reverse = reverse

    def info(self) -> dict[str, Any]:
        from pilotti.people.models import Participant
        from pilotti.recruitment.models import Enrolment

        return {
            "programme": self.programme.slug,
            "participants": Participant.objects.filter(organisation=self.programme.organisation).count(),
            "enrolments": Enrolment.objects.filter(programme=self.programme).count(),
        }

    def page(self, name: str) -> dict[str, Any]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            if name == "report":
                self.report_json()
                status = 200
            else:
                response = self.client.get(self.urls[name])
                status = response.status_code
            seconds = time.perf_counter() - started
        return {"seconds": seconds, "queries": len(queries.captured_queries), "status": status}

    def report_json(self, cached: bool = False) -> dict[str, Any]:
        """The code path of ``manage.py report SLUG --format json``, written to a file: built anew, or
        (``cached``) repeated, read from the cache under the programme's unchanged data version."""
        from django.core.cache import cache
        from django.core.management import call_command

        if not cached:
            cache.clear()
        with tempfile.TemporaryDirectory() as directory:
            out = Path(directory) / "report.json"
            started = time.perf_counter()
            call_command("report", self.programme.slug, format="json", out=str(out))
            seconds = time.perf_counter() - started
            size = out.stat().st_size
        return {"seconds": seconds, "bytes": size}

    def report_sql(self) -> dict[str, Any]:
        from bench import floor

        started = time.perf_counter()
        rows = floor.figures(self.programme.pk)
        return {"seconds": time.perf_counter() - started, "rows": sum(len(r) for r in rows.values())}

    def check(self) -> dict[str, Any]:
        from bench import floor
        from pilotti.evaluation import selectors, services

        report = services.report_build(viewer=None, programme=self.programme, filters=selectors.Filters(), shared=False)
        return {"problems": floor.same_figures(report, floor.figures(self.programme.pk))}

    def database(self) -> dict[str, Any]:
        from django.db import connection

        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                return {"version": f"PostgreSQL {cursor.fetchone()[0].split()[0]}"}
            cursor.execute("SELECT sqlite_version()")
            return {"version": f"SQLite {cursor.fetchone()[0]}"}

    def bench_table(self) -> dict[str, Any]:
        from bench.views import create_table

        create_table()
        return {}

    def panel(self) -> dict[str, Any]:
        """A kiosk client panel on a held group meeting: a fresh form after every answer."""
        from django.utils import timezone

        from pilotti.meetings.models import Meeting
        from pilotti.programmes.models import DeliveryUnit
        from pilotti.surveys.models import ClientPanel

        meeting = (
            Meeting.objects.filter(
                unit__organisation=self.programme.organisation,
                unit__kind=DeliveryUnit.Kind.GROUP,
                status=Meeting.Status.HELD,
                client_panel__isnull=False,
            )
            .select_related("client_panel")
            .order_by("pk")
            .first()
        )
        if meeting is None:
            raise RuntimeError("no group meeting with a client panel in the data set")
        panel: ClientPanel = meeting.client_panel
        panel.kiosk, panel.is_open = True, True
        panel.save(update_fields=["kiosk", "is_open"])
        # A panel takes answers only around its meeting (surveys.selectors.panel_accepts_answers):
        # the meeting is held "an hour ago" while measured, and close_panel puts its time back.
        self.moved_meeting = (meeting.pk, meeting.starts_at)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
        return {"code": panel.code, "answers": _panel_answers(panel)}

    def count(self, code: str) -> dict[str, Any]:
        from django.db import connection

        from bench.views import TABLE
        from pilotti.surveys.models import ClientPanel

        panel = ClientPanel.objects.get(code=code)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 - a constant
            rows = cursor.fetchone()[0]
        return {"answers": _panel_answers(panel), "bench_rows": rows}

    def close_panel(self, code: str, before: int) -> dict[str, Any]:
        """Removes the benchmark's answers again, so that the data set stays as generated."""
        from pilotti.instruments.models import Mode, Response
        from pilotti.meetings.models import Meeting
        from pilotti.surveys.models import ClientPanel

        panel = ClientPanel.objects.get(code=code)
        extra = Response.objects.filter(meeting_id=panel.meeting_id, mode=Mode.CLIENT_PANEL).order_by("pk")
        ids = list(extra.values_list("pk", flat=True)[before:])
        Response.objects.filter(pk__in=ids).delete()
        panel.kiosk, panel.is_open = False, False
        panel.save(update_fields=["kiosk", "is_open"])
        if self.moved_meeting is not None:
            meeting_id, starts_at = self.moved_meeting
            Meeting.objects.filter(pk=meeting_id).update(starts_at=starts_at)
        return {"deleted": len(ids)}


def _largest(slug: str) -> Any:
    from django.db.models import Count

    from pilotti.programmes.models import Programme

    return (
        Programme.objects.filter(organisation__slug=slug)
        .annotate(n=Count("enrolments"))
        .order_by("-n", "pk")
        .select_related("organisation")
        .first()
    )


def _panel_answers(panel: Any) -> int:
    from pilotti.instruments.models import Mode, Response

    return Response.objects.filter(meeting_id=panel.meeting_id, mode=Mode.CLIENT_PANEL).count()


def _with_mfa(user: Any) -> None:
    """Staff must have a second factor before any page opens; the benchmark's coordinator gets a
    TOTP authenticator row (never used to sign in: the test client signs in directly)."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults={"data": {}})


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    worker = Worker(int(os.environ.get("BENCH_SEED", "1")))
    for line in sys.stdin:
        request = json.loads(line)
        command = request.pop("cmd")
        try:
            result = getattr(worker, command)(**request)
        except Exception as error:
            result = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
