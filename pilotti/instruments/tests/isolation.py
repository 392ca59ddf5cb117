"""The isolation contract: an instrument of ``world.org`` and the kwargs of every URL that takes any."""

from typing import Any

from pilotti.instruments.tests.helpers import make_instrument


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    instrument = make_instrument(world.org, name="Alfan oma mittari")
    by_uuid = {"instrument_uuid": instrument.uuid}
    return {
        "instruments:detail": by_uuid,
        "instruments:edit": by_uuid,
        "instruments:export": by_uuid,
    }
