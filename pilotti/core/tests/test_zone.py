from datetime import date, timedelta

from pilotti.core.zone import day_start


def test_a_day_starts_at_midnight_in_helsinki_on_either_side_of_daylight_saving_time() -> None:
    # 29 March 2026: the clocks go forward at 03:00, so that day has 23 hours.
    spring = date(2026, 3, 29)
    assert day_start(spring).isoformat() == "2026-03-29T00:00:00+02:00"
    assert day_start(spring + timedelta(days=1)).isoformat() == "2026-03-30T00:00:00+03:00"
    # (Python subtracts two times of one zone on the wall clock: compare the instants.)
    assert day_start(spring + timedelta(days=1)).timestamp() - day_start(spring).timestamp() == 23 * 3600
