"""A response and its answers in one statement (PostgreSQL) or one transaction (SQLite): stored
as the ORM would store them, and together or not at all."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from conftest import make_world
from pilotti.instruments import selectors, services, writes
from pilotti.instruments.models import Answer, Instrument, Item, Mode, Response


def _who5() -> tuple[Instrument, object]:
    services.library_load()
    instrument = Instrument.objects.get(organisation=None, key="who-5")
    return instrument, selectors.version_with_structure(selectors.current_version(instrument))


def test_it_stores_what_the_orm_would(db: None) -> None:
    world = make_world()
    _instrument, version = _who5()
    with CaptureQueriesContext(connection) as queries:
        response = services.response_record(
            version=version,  # type: ignore[arg-type]
            organisation=world.org,
            answers={"q1": 3, "q2": 3, "q3": 2, "q4": 2, "q5": ""},  # one left blank: the rule prorates
            mode=Mode.PAPER,
            language="fi",
        )
    writes_made = [query["sql"] for query in queries if query["sql"].startswith(("INSERT", "WITH"))]
    assert len(writes_made) == (1 if connection.vendor == "postgresql" else 2)
    stored = Response.objects.select_related("band").get(pk=response.pk)
    assert stored.uuid == response.uuid
    assert stored.created_at is not None
    assert (stored.total, stored.mean_item_score, stored.is_prorated) == (
        response.total,
        response.mean_item_score,
        response.is_prorated,
    )
    assert stored.missing_items == ["q5"]
    assert stored.subscale_scores == response.subscale_scores
    assert (stored.band_id, stored.language, stored.mode) == (response.band_id, "fi", Mode.PAPER)
    assert sorted(Answer.objects.filter(response=stored).values_list("item__key", "value", "text", "date")) == [
        ("q1", 3.0, "", None),
        ("q2", 3.0, "", None),
        ("q3", 2.0, "", None),
        ("q4", 2.0, "", None),
    ]


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the write's own atomicity shows
def test_a_response_and_its_answers_are_stored_together_or_not_at_all() -> None:
    world = make_world()
    _instrument, version = _who5()
    item = Item.objects.get(version=version, key="q1")
    response = Response(organisation=world.org, version=version, mode=Mode.PAPER, language="fi")
    # Two answers to one item break the one-answer-per-item rule after the response is inserted.
    with pytest.raises(IntegrityError):
        writes.response_insert(response, [Answer(item=item, value=1), Answer(item=item, value=2)])
    assert not Response.objects.filter(uuid=response.uuid).exists()
