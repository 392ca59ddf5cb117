from django.urls import reverse

from conftest import World, signed_in
from pilotti.people.models import Household
from tests.factories import make_participant


def members(*rows: dict[str, str]) -> dict[str, str]:
    data = {"members-TOTAL_FORMS": str(len(rows)), "members-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data |= {f"members-{i}-{key}": value for key, value in row.items()}
    return data


def test_it_creates_a_household_with_a_partner_and_an_expected_child(world: World) -> None:
    parent, partner = make_participant(world.org), make_participant(world.org, name="Testi Puoliso")
    response = signed_in(world.coordinator).post(
        reverse("people:household_create"),
        {"segment": "Suomalaiset perheet"}
        | members(
            {"relation": "parent", "participant_code": parent.code.lower()},
            {"relation": "partner", "participant_code": partner.code},
            {"relation": "expected_child", "due_date": "2020-03-01"},
            {},
        ),
    )
    household = Household.objects.get()
    assert response["Location"] == reverse("people:household_detail", args=[household.uuid])
    assert household.code.startswith("PH-")
    assert [m.relation for m in household.members.all()] == ["parent", "partner", "expected_child"]
    page = signed_in(world.coordinator).get(response["Location"]).content.decode()
    assert parent.code in page
    assert partner.code in page


def test_it_asks_for_the_due_date_and_a_known_code(world: World) -> None:
    response = signed_in(world.coordinator).post(
        reverse("people:household_create"),
        members({"relation": "parent", "participant_code": "PK-XXXXX"}, {"relation": "expected_child"}),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No participant of yours has this code" in page
    assert "Give the due date of the expected child." in page
    assert 'value="PK-XXXXX"' in page
    assert not Household.objects.exists()


def test_it_refuses_another_organisations_participant(world: World) -> None:
    theirs = make_participant(world.other_org)
    response = signed_in(world.coordinator).post(
        reverse("people:household_create"), members({"relation": "parent", "participant_code": theirs.code})
    )
    assert response.status_code == 400
    assert not Household.objects.exists()


def test_it_keeps_each_child_when_the_household_is_edited(world: World) -> None:
    parent = make_participant(world.org)
    client = signed_in(world.coordinator)
    client.post(
        reverse("people:household_create"),
        members({"relation": "parent", "participant_code": parent.code}, {"relation": "child", "birth_year": "2015"}),
    )
    household = Household.objects.get()
    child = household.members.get(relation="child")
    edit_url = reverse("people:household_edit", args=[household.uuid])
    form = client.get(edit_url).content.decode()
    assert f'value="{child.uuid}"' in form  # the row carries the member it edits

    response = client.post(
        edit_url,
        {"segment": "Suomalaiset perheet"}
        | members(
            {"member": str(household.members.get(relation="parent").uuid), "relation": "parent",
             "participant_code": parent.code},
            {"member": str(child.uuid), "relation": "child", "birth_year": "2016"},
        )
        | {"members-INITIAL_FORMS": "2"},  # as the edit form's management form says
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-3000:]
    kept = household.members.get(relation="child")
    assert (kept.pk, kept.birth_year) == (child.pk, 2016)
    assert kept.history.count() == 2
