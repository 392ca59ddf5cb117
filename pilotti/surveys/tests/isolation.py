"""The isolation contract of the answering URLs (see tests/test_isolation.py).

The participants' pages are registered with a guessed token and a guessed panel code: without
the real one, everyone gets 404.
"""

from typing import Any

from pilotti.meetings.tests.helpers import add_participants
from pilotti.programmes.tests.helpers import make_programme, make_site, make_unit
from pilotti.surveys.tests.helpers import panel_for


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan kyselyohjelma")
    unit = make_unit(programme, site=make_site(programme), facilitator=world.facilitator)
    meeting = unit.meetings.first()
    assert meeting is not None
    panel_for(meeting)
    [participant] = add_participants(unit, 1, start=951)
    by_meeting = {"meeting_uuid": meeting.uuid}
    by_participant = {"participant_uuid": participant.uuid}
    return {
        "surveys:answer": {"token": "GuessedTokenGuessedTokenGuessedTokenGuesse"},
        "surveys:panel_answer": {"code": "Gu3ssedC0d"},
        "surveys:link_list": by_participant,
        "surveys:paper": by_participant,
        "surveys:meeting_people": by_meeting,
        "surveys:panel": by_meeting,
        "surveys:panel_save": by_meeting,
        "surveys:panel_print": by_meeting,
    }
