"""Service use before and after: counts typed in or imported all or nothing, every bad row named
at once; compared in the report with the paired tests of the before/after (checked against
SciPy) and withheld in the shared view for a group below the threshold."""

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from scipy import stats

from conftest import World, signed_in
from pilotti.evaluation import selectors, suppression
from pilotti.organisations.viewer import Viewer
from pilotti.serviceuse.models import ServiceUse
from pilotti.serviceuse.services import ServiceFields, UseFields, service_add, service_use_add
from tests.factories import START, Pilot, build, family_work, service_use_counts

BEFORE = [9, 7, 11, 6, 8, 10]
AFTER = [3, 2, 5, 3, 2, 6]


def _upload(client: object, pilot: Pilot, name: str, content: bytes) -> object:
    url = reverse("serviceuse:import", kwargs={"slug": pilot.programme.slug})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})  # type: ignore[attr-defined]


def test_the_import_refuses_a_bad_sheet_naming_each_bad_row_and_saves_nothing(world: World) -> None:
    pilot = build(world, people=3, meetings=2)
    family_work(world, pilot)
    good, second = pilot.people[0].code, pilot.people[1].code
    sheet = (
        "code;service;support_started_on;support_ended_on;before;after\n"
        f"{good};Perhetyö;1.9.2022;31.10.2022;8;2\n"
        "P-ZZZZZ;Perhetyö;1.9.2022;31.10.2022;5;1\n"
        f"{second};Lastensuojelu;1.9.2022;31.10.2022;5;1\n"
        f"{second};Perhetyö;31.10.2022;1.9.2022;kuusi;\n"
    ).encode()
    response = _upload(signed_in(world.coordinator), pilot, "perhetyo.csv", sheet)
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "4 problems in the file. Nothing was saved." in html
    assert 'data-problem-row="3"' in html
    assert "No person or household of yours has this code." in html
    assert 'data-problem-row="4"' in html
    assert "Write one of the programme&#x27;s services: Perhetyö." in html
    assert 'data-problem-row="5"' in html
    assert "Write the number of contacts as a whole number" in html
    assert "The support cannot end before it started." in html
    assert 'data-problem-row="2"' not in html
    assert not ServiceUse.objects.exists()


def test_the_import_saves_a_good_excel_sheet_and_a_later_file_adds_the_afterservice_use_counts(world: World) -> None:
    pilot = build(world, people=2, meetings=2)
    family_work(world, pilot)
    client = signed_in(world.coordinator)

    def workbook(after: str) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.append(["code", "service", "support_started_on", "support_ended_on", "before", "after"])
        for person in pilot.people:
            sheet.append([person.code, "perhetyö", date(2022, 9, 1), date(2022, 10, 31), 7, after])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    assert _upload(client, pilot, "ennen.xlsx", workbook("")).status_code == 302  # type: ignore[attr-defined]
    assert list(ServiceUse.objects.values_list("before_count", "after_count")) == [(7, None), (7, None)]
    assert _upload(client, pilot, "jälkeen.xlsx", workbook("2")).status_code == 302  # type: ignore[attr-defined]
    use = ServiceUse.objects.first()
    assert use is not None
    assert use.after_count == 2
    latest = use.history.order_by("-history_date").first()
    assert latest is not None
    assert latest.history_change_reason == "Imported from jälkeen.xlsx"
    assert latest.history_user == world.coordinator


def test_the_paired_result_matches_scipy(world: World) -> None:
    pilot = build(world, people=6, meetings=2)
    service_use_counts(world, pilot, family_work(world, pilot), list(zip(BEFORE, AFTER, strict=True)))
    [service] = selectors.report(Viewer.everywhere(world.evaluator), pilot.programme)["service_use"]
    [group] = service["scores"][0]["groups"]
    t = stats.ttest_rel(AFTER, BEFORE)
    assert group["n"] == 6
    assert group["t"] == pytest.approx(t.statistic)
    assert group["p_t"] == pytest.approx(t.pvalue)
    differences = [a - b for a, b in zip(AFTER, BEFORE, strict=True)]
    d_z = sum(differences) / len(differences) / stats.tstd(differences)
    assert group["d_z"]["d"] == pytest.approx(d_z)
    assert group["wilcoxon"]["p"] == pytest.approx(stats.wilcoxon(AFTER, BEFORE).pvalue)


def test_a_small_group_is_withheld_in_the_shared_report(world: World) -> None:
    pilot = build(world, people=6, meetings=2)
    # Six people counted before, three of them after as well.
    service_use_counts(
        world, pilot, family_work(world, pilot), [(9, 3), (7, 2), (11, 5), (6, None), (8, None), (10, None)]
    )
    internal = selectors.report(Viewer.everywhere(world.evaluator), pilot.programme)
    assert internal["service_use"][0]["scores"][0]["groups"][0]["n"] == 3
    shared = suppression.shared(internal)["service_use"][0]
    group = shared["scores"][0]["groups"][0]
    assert group["n"] == "suppressed"
    assert group["withheld"] == "fewer_people"
    assert "pre" not in group
    assert "t" not in group
    # Six measured and three pairs: the three counted only before would be worked out.
    assert shared["measured_people"] == "suppressed"


def test_counts_without_evaluation_consent_are_left_out_of_the_report(world: World) -> None:
    pilot = build(world, people=6, meetings=2)
    service = family_work(world, pilot)
    service_use_counts(world, pilot, service, list(zip(BEFORE, AFTER, strict=True)))
    # The consent was given a week before the start: support that started earlier is not counted.
    ServiceUse.objects.filter(participant=pilot.people[0]).update(support_started_on=START - timedelta(days=30))
    [out] = selectors.report(Viewer.everywhere(world.evaluator), pilot.programme)["service_use"]
    assert out["measured_people"] == 5


def test_the_page_shows_the_counts_and_a_correction_keeps_its_history(world: World) -> None:
    pilot = build(world, people=2, meetings=2)
    service_use_counts(world, pilot, family_work(world, pilot), [(9, None)])
    use = ServiceUse.objects.get()
    client = signed_in(world.coordinator)
    page = client.get(reverse("serviceuse:programme", kwargs={"slug": pilot.programme.slug}))
    assert pilot.people[0].code in page.content.decode()
    response = client.post(
        reverse("serviceuse:use_edit", kwargs={"use_uuid": use.uuid}),
        {
            "support_started_on": START.isoformat(),
            "support_ended_on": (START + timedelta(days=60)).isoformat(),
            "before_count": 9,
            "after_count": 4,
            "reason": "Jälkiseuranta laskettu",
        },
    )
    assert response.status_code == 302
    use.refresh_from_db()
    assert use.after_count == 4
    assert [v.after_count for v in use.history.order_by("history_date")] == [None, 4]


def test_the_persons_export_lists_their_counts_and_erasure_removes_them_with_their_history(world: World) -> None:
    from pilotti.rights import selectors as rights
    from pilotti.rights import services as erasure
    from tests.factories import full_participant

    participant = full_participant(world.org)
    programme = participant.enrolments.get().programme
    service = service_add(actor=world.owner, programme=programme, fields=ServiceFields(name="Päivystyskäynnit"))
    use = service_use_add(
        actor=world.coordinator,
        service=service,
        person=participant,
        fields=UseFields(support_started_on=date(2019, 10, 30), support_ended_on=date(2020, 1, 31), before_count=3),
    )
    [row] = rights.person_data(participant)["service_use"]
    assert (row["service"], row["contacts_before"], row["contacts_after"]) == ("Päivystyskäynnit", 3, None)
    record = erasure.participant_erase(actor=world.coordinator, participant=participant)
    assert record.counts["service_use"] == 1
    assert not ServiceUse.objects.filter(pk=use.pk).exists()
    assert not ServiceUse.history.filter(participant_id=participant.pk).exists()  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_runs_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any, size: int
) -> None:
    from tests.factories import enrol, make_participant, make_programme, make_unit

    programme = make_programme(world.org, name="Kyselymäärä")
    unit = make_unit(programme, name="Kyselymäärän ryhmä")
    service = service_add(actor=world.owner, programme=programme, fields=ServiceFields(name="Perhetyö"))
    for n in range(size):
        person = make_participant(world.org, name=f"Henkilö {n}", email=f"k{n}@example.org")
        enrol(person, unit)
        service_use_add(
            actor=world.coordinator,
            service=service,
            person=person,
            fields=UseFields(support_started_on=START, support_ended_on=START, before_count=n, after_count=1),
        )
    client = signed_in(world.coordinator)
    url = reverse("serviceuse:programme", kwargs={"slug": programme.slug})
    client.get(url)  # the session's sign-in bookkeeping happens once
    with django_assert_max_num_queries(17):  # 16 and the access log of the people shown, in one insert
        page = client.get(url)
    assert page.content.decode().count("data-use=") == size
