"""The isolation contract: objects of ``world.org`` and the kwargs of every URL that takes any.

A project-wide test walks every URL pattern as ``world.outsider`` (a member of another
organisation only) and expects 403/404 (405 for GET on POST-only views).
"""

from typing import Any

from pilotti.programmes.tests.helpers import make_programme, make_site, make_unit


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan ohjelma")
    site = make_site(programme)
    unit = make_unit(programme, site=site, facilitator=world.facilitator)
    meeting = unit.meetings.first()
    assert meeting is not None
    assignment = unit.facilitators.get()
    by_slug = {"slug": programme.slug}
    by_unit = {"unit_uuid": unit.uuid}
    by_meeting = {"meeting_uuid": meeting.uuid}
    return {
        "programmes:detail": by_slug,
        "programmes:edit": by_slug,
        "programmes:partner_add": by_slug,
        "programmes:adoption_add": by_slug,
        "programmes:site_create": by_slug,
        "programmes:unit_create": by_slug,
        "programmes:unit_detail": by_unit,
        "programmes:unit_status": by_unit,
        "programmes:facilitator_add": by_unit,
        "programmes:facilitator_remove": {"unit_uuid": unit.uuid, "assignment_uuid": assignment.uuid},
        "programmes:meeting_add": by_unit,
        "programmes:meeting_move": by_meeting,
        "programmes:meeting_cancel": by_meeting,
    }
