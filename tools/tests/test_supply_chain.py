"""`make audit`'s reading of pip-audit: an audit that checked nothing must not pass quietly."""

from tools.supply_chain import INCOMPLETE, OK, VULNERABLE, judge

CHECKED = {"name": "django", "version": "5.2.19", "vulns": []}
SKIPPED = {"name": "whitenoise", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_it_passes_when_every_package_was_checked_and_none_is_vulnerable() -> None:
    code, lines = judge({"dependencies": [CHECKED]}, allow_incomplete=False)
    assert (code, lines[-1]) == (OK, "pip-audit checked 1 of 1 installed packages.")


def test_it_fails_on_a_known_vulnerability_and_names_the_fix() -> None:
    vulnerable = {**CHECKED, "vulns": [{"id": "PYSEC-2026-1", "fix_versions": ["5.2.20"]}]}
    code, lines = judge({"dependencies": [vulnerable, SKIPPED]}, allow_incomplete=True)
    assert code == VULNERABLE
    assert "VULNERABLE django 5.2.19: PYSEC-2026-1 (fixed in: 5.2.20)" in lines


def test_it_fails_when_the_vulnerability_service_did_not_answer() -> None:
    code, lines = judge({"dependencies": [CHECKED, SKIPPED]}, allow_incomplete=False)
    assert code == INCOMPLETE
    assert any("INCOMPLETE" in line for line in lines)
    assert "NOT CHECKED whitenoise: Dependency not found on PyPI and could not be audited" in lines


def test_it_warns_loudly_when_an_incomplete_audit_is_accepted() -> None:
    code, lines = judge({"dependencies": [CHECKED, SKIPPED]}, allow_incomplete=True)
    assert code == OK
    assert lines[-1].startswith("WARNING: the dependency audit is INCOMPLETE (1 of 2 packages not checked)")
