"""The tests that the documentation names as the proof of a claim exist.

docs/security.md and docs/compliance.md back each claim with tests, and the other documents
point to tests as well; a claim backed by a test that was renamed, moved or deleted is backed by
nothing. Each ``path.py::test_name`` in docs/ and the README (and each bare ``::test_name`` after
it on the same line, which means the same file) must name a file with that test in it. A path
is from the repository's root, or a file name that only one test file in the repository has.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(str(path.relative_to(ROOT)) for path in [*ROOT.glob("docs/**/*.md"), ROOT / "README.md"])
CLAIMS = ("docs/security.md", "docs/compliance.md")
TEST_TREES = ("pilotti", "tests", "bench", "tools")
# `path.py::test_name` or `::test_name`, with or without a parametrisation in brackets.
REFERENCE = re.compile(r"`(?P<path>[\w./-]+\.py)?::(?P<name>test_\w+)(?:\[[^\]`]*\])?`")


def references(text: str) -> list[tuple[str, str]]:
    """(file, test) for each reference; a bare ``::test`` belongs to the last file named before it
    on the same line (a table row or a paragraph's line)."""
    found = []
    for line in text.splitlines():
        current = None
        for match in REFERENCE.finditer(line):
            current = match["path"] or current
            if current is not None:
                found.append((current, match["name"]))
    return found


def resolve(path: str) -> Path | None:
    if (ROOT / path).is_file():
        return ROOT / path
    candidates = [found for tree in TEST_TREES for found in (ROOT / tree).rglob(path)]
    return candidates[0] if len(candidates) == 1 else None


def defines(path: Path, name: str) -> bool:
    return re.search(rf"^\s*(?:async )?def {name}\(", path.read_text(encoding="utf-8"), re.MULTILINE) is not None


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_test_a_document_names_exists(document: str) -> None:
    named = references((ROOT / document).read_text(encoding="utf-8"))
    missing = [
        f"{path}::{name}" for path, name in named if (found := resolve(path)) is None or not defines(found, name)
    ]
    assert not missing, f"{document} names tests that are not there:\n" + "\n".join(missing)


@pytest.mark.parametrize("document", CLAIMS)
def test_the_claims_documents_name_their_tests(document: str) -> None:
    # The check above would pass on a document whose references it could no longer read.
    assert len(references((ROOT / document).read_text(encoding="utf-8"))) > 30


def test_a_bare_name_belongs_to_the_file_named_before_it() -> None:
    line = "`a/test_x.py::test_one`, `::test_two`, `b/test_y.py::test_three[fi]`, `::test_four`"
    assert references(line) == [
        ("a/test_x.py", "test_one"),
        ("a/test_x.py", "test_two"),
        ("b/test_y.py", "test_three"),
        ("b/test_y.py", "test_four"),
    ]


def test_it_finds_a_test_that_is_not_there() -> None:
    assert resolve("tests/test_docs_claims.py") == Path(__file__)
    assert defines(Path(__file__), "test_it_finds_a_test_that_is_not_there")
    assert not defines(Path(__file__), "test_it_finds_a_test_that_was_renamed")
    assert resolve("test_no_such_file.py") is None
