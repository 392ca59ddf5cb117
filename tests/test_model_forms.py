"""ASVS 15.3.3: no mass assignment. Every ModelForm of the product names its fields; none takes
``__all__`` or ``exclude``, so a field added to a model is not writable from a page by accident."""

import importlib
from pathlib import Path

from django import forms

PACKAGE = Path(__file__).resolve().parent.parent / "pilotti"


def model_forms() -> list[type[forms.ModelForm]]:  # type: ignore[type-arg]
    found = []
    for path in sorted(PACKAGE.rglob("*forms.py")):
        if "tests" in path.parts:
            continue
        module = importlib.import_module(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.ModelForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


def test_every_model_form_lists_its_fields() -> None:
    found = model_forms()
    assert found, "no ModelForm found: the walk is broken"
    for form in found:
        meta = form._meta  # type: ignore[attr-defined]
        assert isinstance(meta.fields, list | tuple), f"{form.__name__} does not list its fields"
        assert not meta.exclude, f"{form.__name__} uses exclude"
