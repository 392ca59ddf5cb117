"""Small builders for instrument tests, on top of the root conftest's ``world``."""

import json
from pathlib import Path
from typing import Any

from pilotti.instruments import fileformat, services
from pilotti.instruments.models import Instrument
from pilotti.organisations.models import Organisation

LIBRARY = Path(__file__).resolve().parents[1] / "library"


def library_file(key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((LIBRARY / f"{key}.json").read_text())
    return data


def make_instrument(organisation: Organisation | None, key: str = "pilotti-usefulness", **changes: Any) -> Instrument:
    """An organisation's copy of a library instrument (its file with ``changes``)."""
    data = library_file(key) | changes
    if "name" in changes and "names" not in changes:  # the library's names per language are of its own name
        data.pop("names", None)
    saved = services.instrument_save(actor=None, organisation=organisation, spec=fileformat.parse(data))
    return saved.instrument
