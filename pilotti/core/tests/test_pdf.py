import pytest

from pilotti.core.pdf import BASE_URL, StaticOnlyFetcher

STATIC = BASE_URL.rstrip("/") + "/static/"


def test_it_gives_a_pdf_pilottis_own_stylesheet() -> None:
    response = StaticOnlyFetcher().fetch(STATIC + "pilotti/pilotti.css?v=1")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://attacker.example/steal.css",
        "http://169.254.169.254/latest/meta-data/",
        STATIC + "../../pilotti/settings.py",
        STATIC + "pilotti/no-such-file.css",
        BASE_URL + "media/generated/report.pdf",
    ],
)
def test_it_refuses_to_fetch_anything_else(url: str) -> None:
    with pytest.raises(ValueError, match="static file"):
        StaticOnlyFetcher().fetch(url)
