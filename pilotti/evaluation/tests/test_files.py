"""The PDF and the exports as background tasks: asking, waiting, downloading, expiry, failure.

Tests run tasks at once (tests/settings.py); the tests of waiting switch to the database queue
and run its worker, as a production server does."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from conftest import World, reauthenticated, signed_in
from pilotti.audit.models import AccessLog, Action
from pilotti.evaluation import pdf
from pilotti.evaluation.models import GeneratedFile
from pilotti.evaluation.tests.downloads import fetch, run_worker
from pilotti.organisations.models import Membership, Role
from tests.factories import Pilot, build

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings: pytest.FixtureRequest) -> None:
    """The database queue of a PostgreSQL install: nothing runs until the worker does."""
    settings.TASKS = DATABASE_QUEUE  # type: ignore[attr-defined]


def export_url(pilot: Pilot, format: str = "csv") -> str:
    return reverse("evaluation:programme_export", args=[pilot.programme.slug, format])


def pdf_url(pilot: Pilot) -> str:
    return reverse("evaluation:programme_report_pdf", args=[pilot.programme.slug])


def stored(generated: GeneratedFile, media: Path) -> Path:
    return media / generated.file.name


def test_on_sqlite_a_pdf_is_made_at_once_and_downloaded_straight_away(world: World, settings: object) -> None:
    pilot = build(world, people=5)
    response = fetch(signed_in(world.evaluator), pdf_url(pilot), {"view": "shared"}, method="post")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    generated = GeneratedFile.objects.get()
    assert response.redirects == [reverse("evaluation:file_download", args=[generated.uuid])]
    assert response["Content-Disposition"] == f'attachment; filename="{pilot.programme.slug}-shared.pdf"'
    assert stored(generated, settings.MEDIA_ROOT).read_bytes() == response.content  # type: ignore[attr-defined]
    assert generated.requested_by == world.evaluator
    assert generated.expires_at - generated.created_at == timedelta(hours=24)


def test_with_the_queue_the_page_waits_and_htmx_polls_until_the_worker_is_done(
    world: World, queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = build(world, people=5)
    client = reauthenticated(world.evaluator)
    response = client.post(export_url(pilot, "sav"))
    assert response.status_code == 303
    generated = GeneratedFile.objects.get()
    status_url = reverse("evaluation:file_status", args=[generated.uuid])
    assert response["Location"] == status_url
    page = client.get(status_url).content.decode()
    assert "The file is being prepared." in page
    assert f'hx-get="{status_url}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert f'href="{status_url}">Check again' in page  # without JavaScript, a reload does it
    assert client.get(status_url, headers={"HX-Request": "true"}).status_code == 204  # nothing new to say
    assert client.post(export_url(pilot, "sav")).status_code == 303  # a second click: the same file
    assert GeneratedFile.objects.count() == 1
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()

    run_worker(monkeypatch)

    part = client.get(status_url, headers={"HX-Request": "true"})
    assert part.status_code == 200
    download_url = reverse("evaluation:file_download", args=[generated.uuid])
    assert f'href="{download_url}"' in part.content.decode()
    assert "<html" not in part.content.decode()
    assert "hx-trigger" not in part.content.decode()  # polling stops
    file = fetch(client, download_url)
    assert file.status_code == 200
    assert file.content.startswith(b"$FL2")  # an SPSS system file
    entries = AccessLog.objects.filter(action=Action.EXPORT)
    assert entries.count() == len(pilot.people)
    assert {entry.participant_id for entry in entries} == {p.pk for p in pilot.people}
    assert entries.first().item.startswith(f"sav export: {pilot.programme.slug}")  # type: ignore[union-attr]
    fetch(client, download_url)  # every download is a use of their data
    assert AccessLog.objects.filter(action=Action.EXPORT).count() == 2 * len(pilot.people)


def test_an_export_download_asks_for_the_password_again(
    world: World, queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = build(world, people=3)
    reauthenticated(world.evaluator).post(export_url(pilot))
    run_worker(monkeypatch)
    generated = GeneratedFile.objects.get()
    later = signed_in(world.evaluator)  # hours later: the re-authentication has run out
    response = later.get(reverse("evaluation:file_download", args=[generated.uuid]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_only_the_requester_sees_the_file_and_only_while_allowed(world: World) -> None:
    pilot = build(world, people=3)
    client = reauthenticated(world.evaluator)
    fetch(client, export_url(pilot), method="post")
    generated = GeneratedFile.objects.get()
    status_url = reverse("evaluation:file_status", args=[generated.uuid])
    download_url = reverse("evaluation:file_download", args=[generated.uuid])
    for other in (world.coordinator, world.owner, world.outsider):
        other_client = reauthenticated(other)
        assert other_client.get(status_url).status_code == 404
        assert other_client.get(download_url).status_code == 404
    Membership.objects.filter(user=world.evaluator, organisation=world.org).update(role=Role.FACILITATOR)
    assert client.get(status_url).status_code == 404  # no longer sees the internal view
    assert client.get(download_url).status_code == 404


def test_an_expired_file_is_gone_and_pruned(world: World, settings: object) -> None:
    pilot = build(world, people=3)
    client = reauthenticated(world.evaluator)
    assert fetch(client, export_url(pilot, "codebook"), method="post").status_code == 200
    generated = GeneratedFile.objects.get()
    path = stored(generated, settings.MEDIA_ROOT)  # type: ignore[attr-defined]
    assert path.exists()
    GeneratedFile.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    download_url = reverse("evaluation:file_download", args=[generated.uuid])
    response = client.get(download_url)
    assert response.status_code == 303
    assert "This file has been deleted" in client.get(response["Location"]).content.decode()
    out = StringIO()
    call_command("prune_generated_files", stdout=out)
    assert "Deleted 1 generated file(s)." in out.getvalue()
    assert not path.exists()
    assert not GeneratedFile.objects.exists()
    assert client.get(download_url).status_code == 404


def test_a_failure_is_told_and_can_be_asked_again(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    pilot = build(world, people=3)

    def broken(report: object) -> bytes:
        raise OSError("fonts missing")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    client = signed_in(world.evaluator)
    response = fetch(client, pdf_url(pilot), method="post")
    assert response.status_code == 200
    assert "The file could not be made." in response.content.decode()
    assert GeneratedFile.objects.get().status == GeneratedFile.Status.FAILED
    monkeypatch.undo()
    assert fetch(client, pdf_url(pilot), method="post").content.startswith(b"%PDF")  # a failed file is not reused


def test_a_failed_export_is_asked_for_again_by_a_post(world: World, queue: None) -> None:
    pilot = build(world, people=2)
    client = reauthenticated(world.evaluator)
    url = f"{export_url(pilot, 'sav')}?since=2022-09-01"
    assert client.post(url).status_code == 303
    GeneratedFile.objects.update(status=GeneratedFile.Status.FAILED)
    page = client.get(reverse("evaluation:file_status", args=[GeneratedFile.objects.get().uuid])).content.decode()
    assert "The file could not be made." in page
    assert f'<form method="post" action="{url}">' in page  # "Try again": a button, as on the report page
    assert f'href="{url}"' not in page
    assert client.post(url).status_code == 303
    assert GeneratedFile.objects.filter(status=GeneratedFile.Status.PENDING).count() == 1


def test_it_limits_pdfs_per_hour(world: World, queue: None) -> None:
    pilot = build(world, people=2)
    client = signed_in(world.evaluator)
    for day in range(1, 21):
        assert client.post(f"{pdf_url(pilot)}?since=2022-09-{day:02d}").status_code == 303
    assert client.post(pdf_url(pilot)).status_code == 429
    assert GeneratedFile.objects.count() == 20


def test_the_worker_writes_the_pdf_in_the_requesters_language(
    world: World, queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = build(world, people=2)
    languages = []

    def spy(report: dict[str, object]) -> bytes:
        languages.append(translation.get_language())
        return b"%PDF-"

    monkeypatch.setattr(pdf, "render_pdf", spy)
    # The test client leaves the request's language active in this thread: override restores it.
    with translation.override("en"):
        signed_in(world.evaluator).post(pdf_url(pilot), headers={"Accept-Language": "sv"})
        translation.activate("en")  # as a worker process starts: no request's language
        run_worker(monkeypatch)  # the language was kept with the file
    assert languages == ["sv"]
