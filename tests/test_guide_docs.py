"""The user guide (docs/guide/) and its screenshots stay in step with the tests that take them.

tests/browser/test_guide.py walks each role's pages and photographs them (``make guide`` writes
the images into docs/guide/img). These checks fail the ordinary suite when a page of the guide
shows an image no test takes, when a shot is taken that no page shows, when an image is missing
or left over, or when a link between the documents leads nowhere.
"""

import re
from pathlib import Path

import pytest

from tests.browser.test_guide import SHOTS

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "guide"
IMAGES = GUIDE / "img"
PAGES = ("README.md", "coordinator.md", "facilitator.md", "evaluator.md", "admin.md")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]+\]\((?P<path>[^)\s#]+)(?:#[^)]*)?\)")
MAX_IMAGE_BYTES = 150_000  # the images live in the repository

SHOT_NAMES = {name for names in SHOTS.values() for name in names}


def _images_on(page: str) -> list[tuple[str, str]]:
    text = (GUIDE / page).read_text(encoding="utf-8")
    return [(match["alt"], match["path"]) for match in IMAGE.finditer(text)]


def _referenced() -> dict[str, str]:
    """Each referenced image's shot name, with the page that shows it."""
    return {Path(path).stem: page for page in PAGES for _, path in _images_on(page)}


def test_it_has_a_page_per_role_and_an_index() -> None:
    assert sorted(p.name for p in GUIDE.glob("*.md")) == sorted(PAGES)
    index = (GUIDE / "README.md").read_text(encoding="utf-8")
    for role in ("coordinator", "facilitator", "evaluator", "admin"):
        assert f"({role}.md)" in index, f"README.md does not link to {role}.md"


@pytest.mark.parametrize("page", PAGES)
def test_its_images_are_shots_the_browser_tests_take(page: str) -> None:
    for alt, path in _images_on(page):
        assert Path(path).parent == Path("img"), f"{page}: {path} is not in img/"
        assert path.endswith(".png"), f"{page}: {path} is not a PNG"
        assert Path(path).stem in SHOT_NAMES, f"{page} shows {path}, which tests/browser/test_guide.py never takes"
        assert alt.strip(), f"{page}: {path} has no alternative text"


def test_every_shot_is_shown_in_the_guide() -> None:
    missing = SHOT_NAMES - _referenced().keys()
    assert not missing, f"shots no page of docs/guide shows: {sorted(missing)}"


def test_every_shot_is_in_the_repository_and_small() -> None:
    on_disk = {image.stem: image.stat().st_size for image in IMAGES.glob("*.png")}
    assert SHOT_NAMES - on_disk.keys() == set(), "run `make guide` to take the missing screenshots"
    assert on_disk.keys() - SHOT_NAMES == set(), "images no test takes any more: delete them"
    large = {name: size for name, size in on_disk.items() if size > MAX_IMAGE_BYTES}
    assert not large, f"screenshots over {MAX_IMAGE_BYTES} bytes: {large}"


@pytest.mark.parametrize("page", PAGES)
def test_its_links_to_other_documents_lead_somewhere(page: str) -> None:
    text = (GUIDE / page).read_text(encoding="utf-8")
    for match in LINK.finditer(text):
        target = match["path"]
        if re.match(r"^[a-z]+:", target):  # a web address
            continue
        assert (GUIDE / target).resolve().exists(), f"{page} links to {target}, which does not exist"
