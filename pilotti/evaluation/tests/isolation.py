"""URL kwargs of the report pages, pointing at objects of ``world.org``."""

from typing import Any

from pilotti.programmes.tests.helpers import make_programme, make_unit


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan raportti")
    unit = make_unit(programme, name="Alfan raportoitava ryhmä")
    return {
        "evaluation:programme_report": {"slug": programme.slug},
        "evaluation:programme_report_pdf": {"slug": programme.slug},
        "evaluation:unit_report": {"unit_uuid": unit.uuid},
        "evaluation:unit_report_pdf": {"unit_uuid": unit.uuid},
        "evaluation:programme_export": {"slug": programme.slug, "format": "sav"},
        "evaluation:unit_export": {"unit_uuid": unit.uuid, "format": "csv"},
    }
