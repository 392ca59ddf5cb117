"""The repository stands on its own: a clone has everything its files point at."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["pilotti", "tests", "docs", "bench", "tools", ".ci"]
CHECKED_FILES = ["README.md", "CHANGELOG.md", "VENDORED.md", "Makefile", "pyproject.toml", "conftest.py", "manage.py"]
# A directory beside the checkout, and the reference documents kept there, which a clone lacks.
# Its name is spelt in two pieces so that a plain grep for it finds nothing in this file either.
OUTSIDE_DIRECTORY = "shared" + "/"
OUTSIDE = re.compile(rf"\b{OUTSIDE_DIRECTORY}|\b(?:INSTRUMENTS|TRUST|STACK|PRODUCT|STYLE)\.md\b")
BINARY = {".mo", ".png", ".jpg", ".ico", ".pdf", ".woff2", ".sqlite3", ".pyc", ".xlsx", ".sav"}


def text_files() -> list[Path]:
    files = [ROOT / name for name in CHECKED_FILES]
    for top in CHECKED:
        files += [
            path
            for path in (ROOT / top).rglob("*")
            if path.is_file() and path.suffix not in BINARY and "__pycache__" not in path.parts
        ]
    return files


def test_no_file_points_outside_the_repository() -> None:
    found = []
    for path in text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line) and path != Path(__file__).resolve():
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "write what is needed into docs/ instead:\n" + "\n".join(found)


def test_the_check_finds_a_reference_outside() -> None:
    assert OUTSIDE.search(f"as ../{OUTSIDE_DIRECTORY}seeds describe them")
    assert OUTSIDE.search("the Wilson interval (INSTRUMENTS.md 2.3)")
    assert not OUTSIDE.search("the shared view of the report")
