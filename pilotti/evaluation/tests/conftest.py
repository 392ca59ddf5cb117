from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    # Generated PDFs and exports go to the default storage: a folder of the test's own.
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
