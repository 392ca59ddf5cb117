"""The door holds: no view, form, API handler or template tag queries tenant-owned rows directly.

Tenant-owned models say so (``organisations.tenancy.TenantOwned``); their rows are read through
the owning app's scoping selectors, which take a ``Viewer``. A direct ``<Model>.objects`` in the
modules below is a side door past that check, so this test reads their source and fails on one.
``<Model>.objects.none()`` (an empty form field filled in later) reveals nothing and is allowed.
"""

import re
from pathlib import Path

import pytest

from pilotti.organisations.tenancy import tenant_owned_models

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pilotti"


def guarded_modules() -> list[Path]:
    """Every view, form, API and template tag module of the product."""
    modules = [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and (
            path.name in ("views.py", "forms.py")
            or path.name.endswith("_views.py")
            or "templatetags" in path.parts
            or (
                path.relative_to(PACKAGE).parts[0] == "api"
                and path.name not in ("selectors.py", "services.py", "models.py")
            )
        )
    ]
    return sorted(modules)


def direct_queries(source: str, names: list[str]) -> list[tuple[int, str]]:
    alternatives = "|".join(map(re.escape, names))
    pattern = re.compile(rf"\b({alternatives})\.objects\b(?!\.none\(\))")
    return [(n, line.strip()) for n, line in enumerate(source.splitlines(), start=1) if pattern.search(line)]


@pytest.fixture(scope="module")
def tenant_names() -> list[str]:
    return sorted(model.__name__ for model in tenant_owned_models())


def test_it_knows_the_tenant_owned_models(tenant_names: list[str]) -> None:
    # The marker cannot quietly fall off the models the scoping selectors guard.
    for name in ("Programme", "DeliveryUnit", "Meeting", "Participant", "Household", "Enrolment", "Response"):
        assert name in tenant_names


def test_it_checks_the_views_forms_api_and_template_tags() -> None:
    names = {str(path.relative_to(PACKAGE)) for path in guarded_modules()}
    assert {
        "recruitment/people_views.py",
        "programmes/forms.py",
        "api/v1/participants.py",
        "surveys/staff_views.py",
    } <= names
    assert any("templatetags" in name for name in names)


def test_no_view_form_api_or_template_tag_queries_a_tenant_owned_model(tenant_names: list[str]) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line}"
        for path in guarded_modules()
        for number, line in direct_queries(path.read_text(encoding="utf-8"), tenant_names)
    ]
    assert found == [], "read these through the owning app's selectors:\n" + "\n".join(found)


def test_the_check_finds_a_direct_query() -> None:
    names = ["Participant", "DeliveryUnit"]
    assert direct_queries("    people = Participant.objects.filter(organisation=org)", names)
    assert direct_queries("units = DeliveryUnit.objects.all()", names)
    assert not direct_queries("queryset=DeliveryUnit.objects.none(),", names)
    assert not direct_queries("contact = ContactDetails.objects.first()", names)
