"""Rate-limit counters in the database: refused at the limit, reset with the next window, one
statement per request, closed windows deleted."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from pilotti.core import ratelimit
from pilotti.core.models import RateCounter
from pilotti.core.ratelimit import Limit, Use, consume, prune, wait, waits

pytestmark = pytest.mark.django_db

THREE_A_MINUTE = Limit("test-three", 3, 60)
NOON = 1_800_000_000.0  # a window boundary: 1 800 000 000 is divisible by 60


def test_it_refuses_past_the_limit_and_says_when_the_window_ends() -> None:
    waits = [consume(THREE_A_MINUTE, "198.51.100.9", now=NOON + 15) for _use in range(4)]
    assert waits == [0, 0, 0, 45]


def test_the_next_window_starts_again() -> None:
    for _use in range(4):
        consume(THREE_A_MINUTE, "198.51.100.9", now=NOON + 59)
    assert consume(THREE_A_MINUTE, "198.51.100.9", now=NOON + 60) == 0


def test_keys_and_limits_count_apart() -> None:
    for _use in range(3):
        consume(THREE_A_MINUTE, "198.51.100.9", now=NOON)
    assert consume(THREE_A_MINUTE, "203.0.113.5", now=NOON) == 0
    assert consume(Limit("test-other", 3, 60), "198.51.100.9", now=NOON) == 0
    assert consume(THREE_A_MINUTE, "198.51.100.9", now=NOON) == 60


def test_an_uncounted_use_only_asks_whether_the_limit_is_reached() -> None:
    asking = Use(THREE_A_MINUTE, "198.51.100.9", counted=False)
    assert [wait(asking, now=NOON) for _ask in range(5)] == [0] * 5
    for _use in range(3):
        consume(THREE_A_MINUTE, "198.51.100.9", now=NOON)
    assert wait(asking, now=NOON + 10) == 50


def test_one_request_counts_all_its_limits_in_one_statement(django_assert_num_queries: object) -> None:
    uses = (
        Use(THREE_A_MINUTE, "198.51.100.9", counted=False),
        Use(Limit("test-ip", 300, 600), "198.51.100.9"),
        Use(Limit("test-panel", 1, 600), "a-panel-code"),
    )
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert wait(*uses, now=NOON) == 0
    # The longest wait of the limits passed: the panel's window ends at NOON + 600.
    assert wait(*uses, now=NOON + 30) == 570
    assert waits(*uses, now=NOON + 40) == [0, 0, 560]


def test_the_table_holds_no_key_in_plain_text() -> None:
    consume(THREE_A_MINUTE, "198.51.100.9", now=NOON)
    assert "198.51.100.9" not in RateCounter.objects.get().key


def test_prune_deletes_only_closed_windows() -> None:
    consume(THREE_A_MINUTE, "198.51.100.9", now=NOON - 60)
    consume(THREE_A_MINUTE, "198.51.100.9", now=NOON)
    assert prune(now=NOON + 5) == 1
    assert consume(THREE_A_MINUTE, "198.51.100.9", now=NOON + 5) == 0  # the open window still counts
    assert RateCounter.objects.get().count == 2


def test_a_windows_first_use_prunes_now_and_then(monkeypatch: pytest.MonkeyPatch) -> None:
    consume(THREE_A_MINUTE, "198.51.100.9", now=NOON - 60)
    monkeypatch.setattr(ratelimit, "PRUNE_ONE_IN", 1)
    consume(THREE_A_MINUTE, "198.51.100.9", now=NOON)  # the window's first use
    assert RateCounter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_uses_are_each_counted_once() -> None:
    # Two app servers' workers asking at the same moment: the database adds under the row's lock.
    if connection.vendor != "postgresql":
        pytest.skip("the suite's in-memory SQLite locks whole tables; tests/test_concurrency.py covers SQLite")
    threads = 12
    start = threading.Barrier(threads)

    def use(_n: int) -> int:
        try:
            start.wait()
            return consume(THREE_A_MINUTE, "198.51.100.9", now=NOON)
        finally:
            connection.close()  # each thread's own connection

    with ThreadPoolExecutor(max_workers=threads) as pool:
        waits_seen = list(pool.map(use, range(threads)))
    assert sorted(waits_seen) == [0, 0, 0] + [60] * (threads - 3)
    assert RateCounter.objects.get().count == threads
