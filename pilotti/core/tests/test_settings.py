from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pilotti.settings import env_bool
from tests.processes import run_python


def test_it_refuses_to_start_when_https_is_misspelt(tmp_path: Path) -> None:
    env = {"DJANGO_SETTINGS_MODULE": "pilotti.settings", "PILOTTI_VAR_DIR": str(tmp_path), "HTTPS": "ture"}
    result = run_python(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: HTTPS='ture' is not a yes/no value" in result.stderr
    assert "1/0/true/false/yes/no/on/off" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("TRUE", True), ("Yes", True), (" on ", True), ("0", False), ("False", False), ("NO", False)],
)
def test_it_reads_the_documented_yes_and_no_words(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("PILOTTI_TEST_FLAG", value)
    assert env_bool("PILOTTI_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("value", ["", "   "])
def test_it_uses_the_default_when_the_variable_is_empty(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PILOTTI_TEST_FLAG", value)
    assert env_bool("PILOTTI_TEST_FLAG", True) is True


@pytest.mark.parametrize("value", ["ture", "2", "enabled", "y", "off-ish"])
def test_it_refuses_any_other_value(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PILOTTI_TEST_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="PILOTTI_TEST_FLAG="):
        env_bool("PILOTTI_TEST_FLAG", True)
