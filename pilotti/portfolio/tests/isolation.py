"""URL kwargs of the model's pages and the portfolio, pointing at objects of ``world.org``, and the matrix's answers."""

from typing import Any

from tests.factories import make_programme


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan malli")
    return {
        "portfolio:model_description": {"slug": programme.slug},
        "portfolio:model_description_markdown": {"slug": programme.slug},
        "portfolio:model_description_docx": {"slug": programme.slug},
        "portfolio:fidelity": {"slug": programme.slug},
        "portfolio:portfolio": {"organisation_uuid": world.org.uuid},
        "portfolio:portfolio_pdf": {"organisation_uuid": world.org.uuid},
    }


# Cells per relation: admin coordinator facilitator evaluator (tests/authz.py). The model
# description is for whoever may open the programme's report (the owner's, partners' and adopters'
# staff; a facilitator through a unit of the programme, and this programme has none). Fidelity is
# for the staff of the organisations running it. The portfolio is the organisation's own staff's.
_DESCRIPTION = {
    "own": "200/405 200/405 404 200/405",
    "partner": "200/405 200/405 404 200/405",
    "adopter": "200/405 200/405 404 200/405",
    "other": "404",
    "anonymous": "login",
}
EXPECTED: dict[str, dict[str, str]] = {
    "portfolio:model_description": _DESCRIPTION,
    "portfolio:model_description_markdown": _DESCRIPTION,
    "portfolio:model_description_docx": _DESCRIPTION,
    "portfolio:fidelity": _DESCRIPTION,
    "portfolio:portfolio": {
        "own": "200/405 200/405 404 200/405",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "portfolio:portfolio_pdf": {
        "own": "405/200 405/200 404 405/200",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
}
