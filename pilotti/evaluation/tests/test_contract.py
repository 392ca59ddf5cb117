"""The report's declared shape (report/types.py) is the shape every consumer gets."""

from django.test import Client
from pydantic import TypeAdapter

from conftest import World
from pilotti.evaluation import selectors, suppression
from pilotti.evaluation.report.types import Report
from tests.factories import build


def test_it_declares_every_figure_of_the_internal_and_the_shared_report(world: World) -> None:
    pilot = build(world, people=6)
    internal = suppression.internal(selectors.report(None, pilot.programme))
    shared = suppression.shared(internal)
    adapter = TypeAdapter(Report)
    for report in (internal, shared):
        # Validation drops undeclared keys and coerces mistyped values: a round trip that changes
        # nothing means the declaration covers the report exactly.
        assert adapter.dump_python(adapter.validate_python(report)) == report
    assert shared["recruitment"]["flow"][2]["left"][2]["n"] == suppression.SUPPRESSED


def test_the_api_schema_describes_the_report_field_by_field(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    report = schema["paths"]["/api/v1/programmes/{slug}/report"]["get"]["responses"]["200"]
    assert report["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Report"}
    components = schema["components"]["schemas"]
    assert set(components["Report"]["properties"]) >= {"recruitment", "attendance", "feedback", "before_after"}
    rate = components["AttendanceSummary"]["properties"]["median_rate"]
    assert {"const": "suppressed", "type": "string"} in rate["anyOf"]
