"""Schedule rules without HTTP or a database: holidays, breaks, count extension, errors."""

from datetime import date, timedelta

import pytest

from pilotti.meetings.schedule import (
    BREAK,
    DateRange,
    Rule,
    ScheduleError,
    ScheduleRule,
    Skipped,
    finnish_holidays,
    generate,
)

# Easter Sundays 2019–2027, from the church calendar (not computed by the code under test).
EASTER = {
    2019: date(2019, 4, 21),
    2020: date(2020, 4, 12),
    2021: date(2021, 4, 4),
    2022: date(2022, 4, 17),
    2023: date(2023, 4, 9),
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
}
# Midsummer Day: the Saturday from 20 to 26 June. All Saints' Day: the Saturday from 31 Oct to 6 Nov.
MIDSUMMER_DAY = {2019: 22, 2020: 20, 2021: 26, 2022: 25, 2023: 24, 2024: 22, 2025: 21, 2026: 20, 2027: 26}
ALL_SAINTS = {
    2019: date(2019, 11, 2),
    2020: date(2020, 10, 31),
    2021: date(2021, 11, 6),
    2022: date(2022, 11, 5),
    2023: date(2023, 11, 4),
    2024: date(2024, 11, 2),
    2025: date(2025, 11, 1),
    2026: date(2026, 10, 31),
    2027: date(2027, 11, 6),
}


@pytest.mark.parametrize("year", range(2019, 2028))
def test_it_knows_the_finnish_holidays_of(year: int) -> None:
    easter = EASTER[year]
    midsummer = date(year, 6, MIDSUMMER_DAY[year])
    expected = {
        date(year, 1, 1): "Uudenvuodenpäivä",
        date(year, 1, 6): "Loppiainen",
        easter - timedelta(days=2): "Pitkäperjantai",
        easter: "Pääsiäispäivä",
        easter + timedelta(days=1): "Toinen pääsiäispäivä",
        date(year, 5, 1): "Vappu",
        easter + timedelta(days=39): "Helatorstai",
        easter + timedelta(days=49): "Helluntaipäivä",
        midsummer - timedelta(days=1): "Juhannusaatto",
        midsummer: "Juhannuspäivä",
        ALL_SAINTS[year]: "Pyhäinpäivä",
        date(year, 12, 6): "Itsenäisyyspäivä",
        date(year, 12, 24): "Jouluaatto",
        date(year, 12, 25): "Joulupäivä",
        date(year, 12, 26): "Tapaninpäivä",
    }
    assert finnish_holidays([year]) == expected
    assert midsummer.weekday() == 5
    assert ALL_SAINTS[year].weekday() == 5


def test_it_names_holidays_in_the_users_language() -> None:
    assert finnish_holidays([2024], "en")[date(2024, 12, 6)] == "Independence Day"
    assert finnish_holidays([2024], "sv")[date(2024, 6, 21)] == "Midsommarafton"


def test_it_makes_tampere_naistari_weekly_series() -> None:
    schedule = generate(ScheduleRule(first=date(2019, 10, 30), count=7))
    assert schedule.dates == [date(2019, 10, 30) + timedelta(weeks=n) for n in range(7)]
    assert schedule.skipped == []


def test_it_skips_independence_day_and_keeps_the_count() -> None:
    schedule = generate(ScheduleRule(first=date(2019, 11, 29), count=3))
    assert schedule.dates == [date(2019, 11, 29), date(2019, 12, 13), date(2019, 12, 20)]
    assert schedule.skipped == [Skipped(date(2019, 12, 6), "Itsenäisyyspäivä")]


def test_it_skips_ascension_day() -> None:
    schedule = generate(ScheduleRule(first=date(2022, 5, 19), count=3))
    assert schedule.dates == [date(2022, 5, 19), date(2022, 6, 2), date(2022, 6, 9)]
    assert schedule.skipped == [Skipped(date(2022, 5, 26), "Helatorstai")]


def test_it_skips_good_friday_and_easter_monday() -> None:
    fridays = generate(ScheduleRule(first=date(2025, 4, 11), count=2))
    assert fridays.dates == [date(2025, 4, 11), date(2025, 4, 25)]
    assert fridays.skipped == [Skipped(date(2025, 4, 18), "Pitkäperjantai")]
    mondays = generate(ScheduleRule(first=date(2026, 3, 30), count=2))
    assert mondays.dates == [date(2026, 3, 30), date(2026, 4, 13)]
    assert mondays.skipped == [Skipped(date(2026, 4, 6), "Toinen pääsiäispäivä")]


def test_it_skips_midsummer_eve_and_christmas_eve_as_finns_do() -> None:
    midsummer = generate(ScheduleRule(first=date(2024, 6, 14), count=2))
    assert midsummer.dates == [date(2024, 6, 14), date(2024, 6, 28)]
    assert midsummer.skipped == [Skipped(date(2024, 6, 21), "Juhannusaatto")]
    christmas = generate(ScheduleRule(first=date(2019, 12, 17), count=2))
    assert christmas.dates == [date(2019, 12, 17), date(2019, 12, 31)]
    assert christmas.skipped == [Skipped(date(2019, 12, 24), "Jouluaatto")]


def test_it_skips_all_saints_day_for_a_saturday_group() -> None:
    schedule = generate(ScheduleRule(first=date(2023, 10, 28), count=2))
    assert schedule.dates == [date(2023, 10, 28), date(2023, 11, 11)]
    assert schedule.skipped == [Skipped(date(2023, 11, 4), "Pyhäinpäivä")]


def test_it_skips_the_units_break_and_names_holidays_first() -> None:
    christmas_break = DateRange(date(2019, 12, 16), date(2020, 1, 6))
    schedule = generate(ScheduleRule(first=date(2019, 12, 2), count=4, breaks=(christmas_break,)))
    assert schedule.dates == [date(2019, 12, 2), date(2019, 12, 9), date(2020, 1, 13), date(2020, 1, 20)]
    assert schedule.skipped == [
        Skipped(date(2019, 12, 16), BREAK),
        Skipped(date(2019, 12, 23), BREAK),
        Skipped(date(2019, 12, 30), BREAK),
        Skipped(date(2020, 1, 6), "Loppiainen"),
    ]


def test_it_meets_twice_a_week_on_chosen_weekdays() -> None:
    # Ikaalinen's day activity, 15.7.–15.11.2022, here on Tuesdays and Thursdays.
    schedule = generate(
        ScheduleRule(first=date(2022, 7, 15), until=date(2022, 11, 15), rule=Rule.WEEKDAYS, weekdays=frozenset({1, 3}))
    )
    assert schedule.dates[:3] == [date(2022, 7, 19), date(2022, 7, 21), date(2022, 7, 26)]
    assert schedule.dates[-1] == date(2022, 11, 15)
    assert {d.weekday() for d in schedule.dates} == {1, 3}
    assert len(schedule.dates) == 35
    assert schedule.skipped == []


def test_it_extends_a_twice_a_week_series_over_holidays() -> None:
    # Wednesdays and Fridays from Wed 3.12.2025: Fri 5.12. is fine, but Fri 26.12. and Wed 24.12. are holidays.
    schedule = generate(ScheduleRule(first=date(2025, 12, 17), count=4, rule=Rule.WEEKDAYS, weekdays=frozenset({2, 4})))
    assert schedule.dates == [date(2025, 12, 17), date(2025, 12, 19), date(2025, 12, 31), date(2026, 1, 2)]
    assert [s.reason for s in schedule.skipped] == ["Jouluaatto", "Tapaninpäivä"]


def test_it_meets_every_other_week() -> None:
    schedule = generate(ScheduleRule(first=date(2022, 8, 24), count=3, rule=Rule.EVERY_N_WEEKS, interval_weeks=2))
    assert schedule.dates == [date(2022, 8, 24), date(2022, 9, 7), date(2022, 9, 21)]


def test_it_loses_skipped_dates_when_the_series_has_an_end_date() -> None:
    schedule = generate(ScheduleRule(first=date(2022, 5, 19), until=date(2022, 6, 2)))
    assert schedule.dates == [date(2022, 5, 19), date(2022, 6, 2)]
    assert schedule.skipped == [Skipped(date(2022, 5, 26), "Helatorstai")]


@pytest.mark.parametrize(
    ("rule", "field", "words"),
    [
        (ScheduleRule(first=date(2024, 5, 2), until=date(2024, 5, 1)), "until", "before the first meeting"),
        (ScheduleRule(first=date(2024, 5, 2), count=0), "count", "at least 1"),
        (ScheduleRule(first=date(2024, 5, 2)), "count", "number of meetings"),
        (ScheduleRule(first=date(2024, 5, 2), count=3, until=date(2024, 6, 1)), "count", "not both"),
        (ScheduleRule(first=date(2024, 5, 2), count=3, rule=Rule.WEEKDAYS), "weekdays", "two weekdays"),
        (
            ScheduleRule(first=date(2024, 5, 2), count=3, rule=Rule.WEEKDAYS, weekdays=frozenset({2})),
            "weekdays",
            "two weekdays",
        ),
        (
            ScheduleRule(first=date(2024, 5, 2), count=3, rule=Rule.EVERY_N_WEEKS, interval_weeks=0),
            "interval_weeks",
            "1 to 52",
        ),
        (ScheduleRule(first=date(2024, 5, 2), count=201), "count", "at most 200"),
        (ScheduleRule(first=date(2019, 12, 24), until=date(2019, 12, 26)), "first", "public holiday"),
        (
            ScheduleRule(first=date(2024, 5, 2), count=3, breaks=(DateRange(date(2024, 1, 1), date(2030, 1, 1)),)),
            "first",
            "public holiday or a break",
        ),
        (
            ScheduleRule(first=date(2024, 5, 2), count=3, breaks=(DateRange(date(2024, 5, 3), date(2030, 1, 1)),)),
            "breaks",
            "do not fit",
        ),
    ],
)
def test_it_explains_what_to_correct(rule: ScheduleRule, field: str, words: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        generate(rule)
    assert caught.value.field == field
    assert words in caught.value.message
