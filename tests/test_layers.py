"""No code imports another app's private names.

import-linter (``make lint``, the contracts in pyproject.toml, docs/architecture.md) checks which
package may import which, but not which names: a leading underscore says "mine, may change at
any time", so ``from pilotti.programmes.selectors import _helper`` in another app is a hidden
dependency. A piece that two apps need becomes a public function of the app that owns it.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["pilotti", "tests", "bench", "tools"]


def owner(path: Path) -> str:
    """The app a file belongs to (``pilotti.people``), or its top-level package (``tests``)."""
    parts = path.relative_to(ROOT).parts
    if parts[0] == "pilotti" and len(parts) > 2:
        return f"pilotti.{parts[1]}"
    return parts[0].removesuffix(".py")


def app_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "pilotti" else parts[0]


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def crossings(source: str, home: str) -> list[str]:
    """Private names that code in ``home`` takes from another app, as "line: what"."""
    found = []
    modules: dict[str, str] = {}  # local name -> another app's module bound to it
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("pilotti.") or app_of(node.module) == home:
                continue
            for segment in node.module.split("."):
                if private(segment):
                    found.append(f"{node.lineno}: {node.module}")
            for alias in node.names:
                if private(alias.name):
                    found.append(f"{node.lineno}: {node.module}.{alias.name}")
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("pilotti.") and app_of(alias.name) != home:
                    if any(private(segment) for segment in alias.name.split(".")):
                        found.append(f"{node.lineno}: {alias.name}")
                    if alias.asname:
                        modules[alias.asname] = alias.name
    found += [
        f"{node.lineno}: {modules[node.value.id]}.{node.attr}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and private(node.attr)
    ]
    return found


def test_no_app_imports_another_apps_private_names() -> None:
    found = []
    for top in CHECKED:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found += [f"{path.relative_to(ROOT)}:{hit}" for hit in crossings(path.read_text(), owner(path))]
    assert found == [], "make these public functions of the app that owns them:\n" + "\n".join(found)


def test_the_check_sees_each_way_of_reaching_a_private_name() -> None:
    source = """
from pilotti.programmes.selectors import _assigned_unit_ids, programmes_visible_to
from pilotti.programmes import selectors as programme_selectors
from pilotti.people._internal import thing
import pilotti.people.selectors as people

programme_selectors._in_consortium("")
people._organisation_ids(user)
programme_selectors.programmes_visible_to(user)
"""
    assert crossings(source, "pilotti.evaluation") == [
        "2: pilotti.programmes.selectors._assigned_unit_ids",
        "4: pilotti.people._internal",
        "7: pilotti.programmes.selectors._in_consortium",
        "8: pilotti.people.selectors._organisation_ids",
    ]
    assert crossings(source, "pilotti.programmes") == [
        "4: pilotti.people._internal",
        "8: pilotti.people.selectors._organisation_ids",
    ]
