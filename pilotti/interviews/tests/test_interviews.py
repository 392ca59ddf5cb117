import io
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World, signed_in
from pilotti.evaluation import suppression
from pilotti.evaluation.report import report
from pilotti.interviews import services
from pilotti.interviews.models import Excerpt, Interview, Interviewee, Theme
from pilotti.rights.selectors import person_data
from pilotti.rights.services import participant_erase
from tests.factories import coded_interview, interview_consent, make_participant, make_programme, make_unit


@pytest.fixture
def programme(world: World):  # type: ignore[no-untyped-def]
    programme = make_programme(world.org, name="Valoa haastatteluihin")
    make_unit(programme, name="Etäryhmä")
    return programme


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_codes_an_excerpt_into_a_theme_of_the_codebook(world: World, programme) -> None:  # type: ignore[no-untyped-def]
    coded = coded_interview(programme, world.org, actor=world.coordinator)
    client = signed_in(world.evaluator)
    response = client.post(
        reverse("interviews:theme_add", args=[programme.slug]),
        {"name": "Toivo", "description": "Usko tulevaan", "parent": ""},
    )
    assert response.status_code == 302
    hope = Theme.objects.get(name="Toivo")
    response = client.post(
        reverse("interviews:excerpt_edit", args=[coded.excerpt.uuid]),
        {"text": coded.excerpt.text, "themes": [coded.theme.pk, hope.pk], "reason": "Myös toivo"},
    )
    assert response.status_code == 302
    page = client.get(reverse("interviews:programme", args=[programme.slug])).content.decode()
    assert "Toivo" in page
    assert "Kevyempi arki, Toivo" in page or "Toivo, Kevyempi arki" in page
    assert coded.excerpt.history.first().history_change_reason == "Myös toivo"


def test_it_quotes_only_excerpts_checked_as_publishable_and_takes_the_mark_away_when_the_words_change(
    world: World, programme
) -> None:  # type: ignore[no-untyped-def]
    coded = coded_interview(programme, world.org, actor=world.coordinator)
    assert suppression.shared(report(None, programme))["qualitative"]["quotes"] == []
    client = signed_in(world.evaluator)
    response = client.post(
        reverse("interviews:excerpt_check", args=[coded.excerpt.uuid]), {"publishable": "yes", "note": "Ei nimiä"}
    )
    assert response.status_code == 302
    coded.excerpt.refresh_from_db()
    assert (coded.excerpt.checked_by, coded.excerpt.publishable) == (world.evaluator, True)
    shared = suppression.shared(report(None, programme))
    assert [q["text"] for q in shared["qualitative"]["quotes"]] == ["Arki tuntuu nyt kevyemmältä."]
    client.post(
        reverse("interviews:excerpt_edit", args=[coded.excerpt.uuid]),
        {"text": "Arki tuntuu Mikan kanssa kevyemmältä.", "themes": [coded.theme.pk], "reason": "Tarkennus"},
    )
    assert suppression.shared(report(None, programme))["qualitative"]["quotes"] == []


def test_it_hides_a_theme_supported_by_few_people_in_the_shared_view(world: World, programme) -> None:  # type: ignore[no-untyped-def]
    first = coded_interview(programme, world.org)
    for _ in range(4):
        coded_interview(programme, world.org, theme=first.theme)
    few = services.theme_add(
        actor=None, programme=programme, organisation=world.org, fields=services.ThemeFields(name="Leimautuminen")
    )
    services.excerpt_update(
        actor=None, excerpt=first.excerpt, text=first.excerpt.text, themes=[first.theme, few], speaker=None, reason="x"
    )
    internal = report(None, programme)["qualitative"]
    assert {t["name"]: t["people"] for t in internal["themes"]} == {"Kevyempi arki": 5, "Leimautuminen": 1}
    shared = suppression.shared(report(None, programme))["qualitative"]
    rows = {t["name"]: (t["people"], t["excerpts"]) for t in shared["themes"]}
    assert rows == {"Kevyempi arki": (5, 5), "Leimautuminen": ("suppressed", "suppressed")}
    assert shared["people"] == 5


def test_a_main_theme_counts_the_people_of_its_themes_once(world: World, programme) -> None:  # type: ignore[no-untyped-def]
    main = services.theme_add(
        actor=None, programme=programme, organisation=world.org, fields=services.ThemeFields(name="Arki")
    )
    child = services.theme_add(
        actor=None,
        programme=programme,
        organisation=world.org,
        fields=services.ThemeFields(name="Jaksaminen", parent=main),
    )
    coded = coded_interview(programme, world.org, theme=child)
    services.excerpt_add(
        actor=None,
        programme=programme,
        organisation=world.org,
        source=services.ExcerptSource(interview=coded.interview),
        text="Jaksan paremmin.",
        themes=[main],
    )
    themes = {t["name"]: t for t in report(None, programme)["qualitative"]["themes"]}
    assert (themes["Arki"]["people"], themes["Arki"]["excerpts"]) == (1, 2)
    assert themes["Jaksaminen"]["parent"] == "Arki"


def test_it_reads_an_uploaded_docx_transcript_back(world: World, programme) -> None:  # type: ignore[no-untyped-def]
    coded = coded_interview(programme, world.org)
    client = signed_in(world.coordinator)
    upload = SimpleUploadedFile("litterointi.docx", _docx("H: Mikä auttoi?", "V: Ryhmän tuki auttoi."))
    response = client.post(
        reverse("interviews:notes", args=[coded.interview.uuid]), {"notes": "", "file": upload, "reason": "Litteroitu"}
    )
    assert response.status_code == 302
    page = client.get(reverse("interviews:detail", args=[coded.interview.uuid])).content.decode()
    assert "V: Ryhmän tuki auttoi." in page
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM interviews_interview WHERE id = %s", [coded.interview.pk])
        assert "Ryhmän" not in cursor.fetchone()[0]  # encrypted at rest


def test_it_refuses_a_file_that_is_neither_text_nor_a_word_document(world: World, programme) -> None:  # type: ignore[no-untyped-def]
    coded = coded_interview(programme, world.org)
    client = signed_in(world.coordinator)
    png = SimpleUploadedFile("litterointi.docx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    response = client.post(reverse("interviews:notes", args=[coded.interview.uuid]), {"notes": "", "file": png})
    assert response.status_code == 400
    assert "neither text" in response.content.decode() or "tekstiä" in response.content.decode()
    coded.interview.refresh_from_db()
    assert "kevyemmältä" in coded.interview.notes


def test_the_notes_are_only_for_coordinators(world: World, programme) -> None:  # type: ignore[no-untyped-def]
    coded = coded_interview(programme, world.org)
    url = reverse("interviews:detail", args=[coded.interview.uuid])
    assert "V: Arki tuntuu" in signed_in(world.coordinator).get(url).content.decode()
    page = signed_in(world.evaluator).get(url)
    assert page.status_code == 200
    assert "V: Arki tuntuu" not in page.content.decode()
    assert signed_in(world.facilitator).get(url).status_code == 404
    assert signed_in(world.outsider).get(url).status_code == 404


def test_it_lists_a_participant_only_with_consent_for_interviews(world: World, programme) -> None:  # type: ignore[no-untyped-def]
    coded = coded_interview(programme, world.org)
    without = make_participant(world.org, name="Ei Suostumusta")
    client = signed_in(world.coordinator)
    url = reverse("interviews:interviewee_add", args=[coded.interview.uuid])
    response = client.post(url, {"kind": "participant", "participant": without.pk})
    assert response.status_code == 400
    interview_consent(without, on=date(2019, 11, 1))
    assert client.post(url, {"kind": "participant", "participant": without.pk}).status_code == 302
    assert coded.interview.interviewees.count() == 2


def test_erasure_removes_the_persons_interview_material(world: World, programme) -> None:  # type: ignore[no-untyped-def]
    coded = coded_interview(programme, world.org)
    group = services.interview_add(
        actor=None,
        programme=programme,
        organisation=world.org,
        fields=services.InterviewFields(kind=Interview.Kind.FOCUS_GROUP, title="Ryhmä", held_on=date(2019, 12, 1)),
    )
    place = services.interviewee_add(
        actor=None, interview=group, kind=Interviewee.Kind.PARTICIPANT, participant=coded.participant
    )
    services.interviewee_add(actor=None, interview=group, kind=Interviewee.Kind.STAFF, role="perhetyöntekijä")
    services.excerpt_add(
        actor=None,
        programme=programme,
        organisation=world.org,
        source=services.ExcerptSource(interview=group),
        text="Minulle ryhmä oli tärkeä.",
        speaker=place,
    )
    exported = person_data(coded.participant)["interviews"]
    assert [row["title"] for row in exported] == ["Vanhempien haastattelu", "Ryhmä"]
    assert exported[1]["excerpts"] == ["Minulle ryhmä oli tärkeä."]
    participant_erase(actor=world.coordinator, participant=coded.participant)
    assert not Interview.objects.filter(pk=coded.interview.pk).exists()
    assert not Interview.history.filter(id=coded.interview.pk).exists()
    assert Interview.objects.filter(pk=group.pk).exists()  # the others' words stay
    assert not Excerpt.objects.filter(programme=programme).exists()
    assert not Excerpt.history.filter(programme=programme).exists()
    assert person_data(coded.participant)["interviews"] == []


def test_the_programme_page_runs_a_constant_number_of_queries(world: World, programme) -> None:  # type: ignore[no-untyped-def]
    first = coded_interview(programme, world.org)
    client = signed_in(world.coordinator)
    url = reverse("interviews:programme", args=[programme.slug])
    client.get(url)  # the session's first request saves it
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(3):
        coded_interview(programme, world.org, theme=first.theme)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four) == len(one) <= 25
