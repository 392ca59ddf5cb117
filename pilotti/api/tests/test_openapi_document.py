"""The OpenAPI document read by a validator nobody here wrote (openapi-spec-validator): valid
OpenAPI 3.1, with its servers and licence, the report typed with the report's declared shape,
and no component that nothing uses; operation ids that stay put when an operation moves."""

import json

from django.conf import settings
from django.test import Client
from openapi_spec_validator import validate
from pydantic import TypeAdapter

from pilotti.evaluation.report.types import Report

SCHEMA_PREFIX = "#/components/schemas/"


def _document() -> dict:  # type: ignore[type-arg]
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_the_document_is_valid_openapi_with_servers_and_a_licence(db: None) -> None:
    document = _document()
    validate(document)  # raises on any error against the OpenAPI 3.1 schema
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": settings.SITE_URL, "description": "This Pilotti server"}]
    assert document["info"]["license"] == {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}


def test_every_component_is_used_and_the_report_has_its_declared_shape(db: None) -> None:
    document = _document()
    components = document["components"]["schemas"]
    for name in components:
        others = {key: value for key, value in components.items() if key != name}
        uses = json.dumps(document["paths"]) + json.dumps(others)
        assert f'"{SCHEMA_PREFIX}{name}"' in uses, f"{name} is not used by any operation"
    assert not {"PageIn", "ReportIn", "UnitFilter", "MeetingFilter"} & set(components)
    report = document["paths"]["/api/v1/programmes/{slug}/report"]["get"]["responses"]["200"]
    assert report["content"]["application/json"]["schema"] == {"$ref": f"{SCHEMA_PREFIX}Report"}
    declared = TypeAdapter(Report).json_schema()
    assert set(components["Report"]["properties"]) == set(declared["properties"])
    assert set(components["Report"]["required"]) == set(declared["required"])


def test_operation_ids_name_the_operation_whichever_router_module_holds_it(db: None) -> None:
    # Generated clients name their methods after these: moving an operation into another module
    # (one router per resource) must not rename it.
    document = _document()
    ids = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert ids == {
        f"pilotti_api_v1_{name}"
        for name in (
            "programme_list",
            "programme_detail",
            "programme_report",
            "unit_list",
            "unit_detail",
            "meeting_list",
            "meeting_detail",
            "attendance_list",
            "attendance_record",
            "participant_list",
            "participant_new",
            "participant_detail",
            "enrolment_list",
            "enrolment_new",
            "enrolment_detail",
            "instrument_list",
            "instrument_detail",
            "response_list",
            "response_new",
            "response_detail",
        )
    }
