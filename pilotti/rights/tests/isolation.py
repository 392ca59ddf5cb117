"""URL kwargs of the rights pages, pointing at objects of ``world.org``."""

from typing import Any

from pilotti.people.tests.helpers import make_participant


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    participant = make_participant(world.org, name="Oikeuksien Osallistuja")
    by_participant = {"participant_uuid": participant.uuid}
    names = ("export_json", "export_pdf", "log", "log_pdf", "log_json", "disclosure_add", "erase")
    return {f"rights:{name}": by_participant for name in names}
