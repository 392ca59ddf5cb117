"""Disclosure control against an attacker (attacker.py): no hidden count of a shared report can be
worked out from what the report publishes, on the five demo pilots and on generated programmes."""

import copy
import os
from typing import Any

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from pilotti.evaluation import charts, disclosure, pdf, releases, selectors, suppression
from pilotti.evaluation.tests import attacker, programmes
from tests.factories import build

LIMIT = 5
X = suppression.SUPPRESSED


def _attacked(internal: Any, limit: int = LIMIT) -> tuple[Any, dict[Any, int], list[str]]:
    shared = suppression.shared(internal, limit)
    return shared, attacker.recoveries(shared, internal), attacker.person_level_leaks(shared, limit)


def _attacked_together(
    internals: dict[str, Any], limit: int = LIMIT
) -> tuple[dict[str, Any], dict[Any, int], list[str]]:
    """A programme's shared report, each unit's and their comparisons, attacked as one."""
    shared = suppression.shared_set(internals, limit)
    leaks = [leak for report in shared.values() for leak in attacker.person_level_leaks(report, limit)]
    leaks += attacker.small_sums(shared, internals, limit)
    return shared, attacker.recoveries_set(shared, internals), leaks


def _suppressed(node: Any) -> int:
    if isinstance(node, dict):
        return sum(_suppressed(value) for value in node.values())
    if isinstance(node, list):
        return sum(_suppressed(value) for value in node)
    return int(node == X)


# 12 examples in the suite (about 15 s); PILOTTI_DISCLOSURE_EXAMPLES=400 for a long run by hand.
EXAMPLES = int(os.environ.get("PILOTTI_DISCLOSURE_EXAMPLES", "12"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes.programmes, st.sampled_from([3, 5, 6]))
def test_no_hidden_count_of_a_generated_programme_can_be_worked_out(units: Any, limit: int) -> None:
    # Small groups, dropouts, people without a second measurement, units of exactly the
    # threshold ± 1, one-person differences between everyone and the completers; the programme's
    # report, each unit's and the comparisons in them attacked together.
    internals = programmes.report_set(units)
    _shared, recovered, leaks = _attacked_together(internals, limit)
    assert recovered == {}
    assert leaks == []


def _person(reached: int, left: str | None = None) -> tuple[Any, ...]:
    return (reached, left, [0, 0, 1, 0], 4, (10, 14))


# Three people in one unit, eight in the other: the small unit's figures are hidden in its own
# report and in the programme's comparison, and the big unit's report publishes its own.
SMALL_AND_BIG = [
    ("A", 4, [_person(3), _person(3), _person(2, "dropped_out")]),
    ("A", 4, [_person(3)] * 6 + [_person(2, "dropped_out")] * 2),
]


def test_reports_protected_one_by_one_give_away_a_small_unit(db: None) -> None:
    # What disclosure control did before the reports of a programme were protected together:
    # the programme's 11 starters less the big unit's own 8 are the small unit's hidden 3.
    internals = programmes.report_set(SMALL_AND_BIG)
    apart = {name: suppression.shared(report, LIMIT) for name, report in internals.items()}
    recovered = attacker.recoveries_set(apart, internals)
    assert recovered[("unit 0", "recruitment", "total", "started")] == 3
    assert ("programme", "comparison", "units", 0, "started") in recovered
    assert attacker.small_sums(apart, internals, LIMIT)  # the three's sum of scores


def test_reports_protected_together_give_away_nothing(db: None) -> None:
    internals = programmes.report_set(SMALL_AND_BIG)
    shared, recovered, leaks = _attacked_together(internals)
    assert (recovered, leaks) == ({}, [])
    # The programme's eleven pairs are published; the big unit's eight are not, as 11 − 8 would
    # give the small unit's three people's scores.
    groups = {g["population"]: g for g in shared["programme"]["before_after"][0]["scores"][0]["groups"]}
    assert groups["all_pairs"]["n"] == 11
    big = {g["population"]: g for g in shared["unit 1"]["before_after"][0]["scores"][0]["groups"]}
    assert big["all_pairs"] == {"population": "all_pairs", "n": X, "withheld": "derivable"}


def test_a_rating_of_four_people_is_withheld_however_many_answers_they_gave(world: World) -> None:
    pilot = build(world, people=6)  # four anonymous ratings after each of four meetings
    internal = selectors.report(None, pilot.programme)
    [rating] = [f for f in internal["feedback"] if f["instrument"].startswith("rating")]
    assert (rating["items"][0]["n"], rating["items"][0]["people"]) == (16, 4)
    shared = suppression.shared(internal, LIMIT)
    [rating] = [f for f in shared["feedback"] if f["instrument"].startswith("rating")]
    item = rating["items"][0]
    assert item["withheld"] == "fewer_people"
    assert (item["n"], item["mean"], item["sd"]) == (X, X, X)
    assert "Withheld: fewer than 5 people." in pdf.render_html(charts.with_charts(shared))


def test_the_completers_results_are_withheld_when_one_person_did_not_complete(world: World) -> None:
    pilot = build(world, people=6)  # six with two measurements, five of them completers
    internal = selectors.report(None, pilot.programme)
    groups = {g["population"]: g for g in internal["before_after"][0]["scores"][0]["groups"]}
    assert (groups["all_pairs"]["n"], groups["completers"]["n"]) == (6, 5)
    shared = suppression.shared(internal, LIMIT)
    groups = {g["population"]: g for g in shared["before_after"][0]["scores"][0]["groups"]}
    assert "pre" in groups["all_pairs"]
    assert groups["completers"] == {"population": "completers", "n": X, "withheld": "derivable"}
    page = pdf.render_html(charts.with_charts(shared))
    assert "Withheld so that a small group cannot be worked out from the other figures." in page


def test_the_protected_reports_are_remembered_until_a_figure_changes(db: None, monkeypatch: Any) -> None:
    internals = programmes.report_set(SMALL_AND_BIG)
    runs = []
    protect = suppression.shared_set

    def counted(reports: Any, limit: int | None = None, **earlier: Any) -> Any:
        runs.append(1)
        return protect(reports, limit, **earlier)

    monkeypatch.setattr(suppression, "shared_set", counted)
    cache.clear()
    first = suppression.shared_set_cached(internals, LIMIT)
    later = {name: {**report, "generated_at": "2026-12-07T09:00:00+02:00"} for name, report in internals.items()}
    again = suppression.shared_set_cached(later, LIMIT)
    assert len(runs) == 1
    assert again["programme"]["recruitment"] == first["programme"]["recruitment"]
    assert again["programme"]["generated_at"] == "2026-12-07T09:00:00+02:00"  # the new report's time
    # One more person contacted: a new key, protected afresh.
    changed = copy.deepcopy(internals)
    changed["programme"]["recruitment"]["total"]["contacted"] += 1
    suppression.shared_set_cached(changed, LIMIT)
    assert len(runs) == 2


def test_respondents_one_short_of_the_starters_do_not_show_who_did_not_answer(db: None) -> None:
    # Seven started, six answered the survey: 7 − 6 would tell that one person did not answer.
    silent = (3, None, [0, 0, 1, 0], None, (10, 14))
    internals = programmes.report_set([("A", 4, [_person(3)] * 6 + [silent])])
    assert internals["programme"]["recruitment"]["total"]["started"] == 7
    assert internals["programme"]["feedback"][0]["people"] == 6
    shared, recovered, leaks = _attacked_together(internals)
    assert (recovered, leaks) == ({}, [])
    for report in shared.values():
        started, people = report["recruitment"]["total"]["started"], report["feedback"][0]["people"]
        assert X in (started, people), (started, people)


def test_the_attacker_finds_what_a_defender_forgot(db: None, monkeypatch: Any) -> None:
    # The attacker writes its relations from the report's contract itself (attacker.read_report),
    # not from the defender's list: a relation the defender forgets is still the attacker's. With
    # the meeting-number totals, the recruitment flow or the dose left out of the defender's
    # relations, the small unit's hidden figures are worked out; with them, none (above).
    internals = programmes.report_set(SMALL_AND_BIG)
    relate = disclosure.Ledger.relate
    for forgotten in ("by_number", "flow", "dose"):

        def forgetful(ledger: disclosure.Ledger, relation: Any, forgotten: str = forgotten) -> None:
            if not any(forgotten in path for path in relation):
                relate(ledger, relation)

        monkeypatch.setattr(disclosure.Ledger, "relate", forgetful)
        shared = suppression.shared_set(internals, LIMIT)
        monkeypatch.setattr(disclosure.Ledger, "relate", relate)
        recovered = attacker.recoveries_set(shared, internals)
        assert recovered, forgotten
        assert any(path[0] == "unit 0" or "units" in path for path in recovered), forgotten


# An owner's unit of one person and an adopter's unit of eight: the owner's comparison shows the
# adopter's unit beside the owner's own figures, the adopter's report the unit's own.
OWN_UNIT = ("A", 1, [(2, "declined", [2, 1, 2, 2], None, (6, None))])
ADOPTERS_UNIT = (
    "B",
    4,
    [
        (3, "dropped_out", [0, 0, 0, 0], None, None),
        (2, None, [0, 1, 0, 0], 3, None),
        (2, "dropped_out", [1, 1, 2, 2], None, (14, 8)),
        (1, None, [2, 2, 1, 1], 4, None),
        (2, "dropped_out", [0, 2, 0, 2], None, (19, 7)),
        (1, None, [2, 1, 0, 0], 5, (12, None)),
        (3, "declined", [1, 1, 0, 0], 4, (9, None)),
        (0, "dropped_out", [0, 2, 0, 1], None, None),
    ],
)


def _two_viewers() -> tuple[dict[str, Any], dict[str, Any]]:
    """The owner's set (the programme's report over its own unit, with the whole comparison, and
    the unit's) and the adopter's (its programme report and its unit's), named by scope."""
    owners = programmes.report([OWN_UNIT])
    owners["comparison"] = programmes.report([OWN_UNIT, ADOPTERS_UNIT])["comparison"]
    adopters = programmes.report([ADOPTERS_UNIT], first=1)
    return (
        {"programme of A": owners, "unit 0": programmes.report([OWN_UNIT])},
        {"programme of B": adopters, "unit 1": programmes.report([ADOPTERS_UNIT], first=1)},
    )


def _as_set(reports: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``shared_set``'s names (the programme's report as PROGRAMME) and the scopes behind them."""
    names = {(suppression.PROGRAMME if name.startswith("programme") else name): name for name in reports}
    return {name: reports[scope] for name, scope in names.items()}, names


def _protected(reports: dict[str, Any], released: list[suppression.Release]) -> dict[str, Any]:
    named, scopes = _as_set(reports)
    shared = suppression.shared_set(named, LIMIT, scopes=scopes, released=released)
    return {scopes[name]: report for name, report in shared.items()}


SCOPES = {"programme of A", "programme of B"}


def test_two_viewers_sets_protected_apart_give_away_a_count() -> None:
    # Before the registry of what left: the adopter's set hid its unit's 7 enrolled (the 8 − 7
    # would show that one was not enrolled), the owner's comparison showed them.
    owners, adopters = _two_viewers()
    apart = [(_protected(owners, []), owners), (_protected(adopters, []), adopters)]
    recovered = attacker.recoveries_releases(apart, SCOPES)
    assert recovered[("1 unit 1", "recruitment", "total", "enrolled")] == 7


def test_a_viewers_set_is_protected_with_what_another_viewer_was_shown() -> None:
    owners, adopters = _two_viewers()
    for first, second in ((owners, adopters), (adopters, owners)):
        shown = _protected(first, [])
        later = _protected(second, [suppression.Release(published=shown, internal=first)])
        assert attacker.recoveries_releases([(shown, first), (later, second)], SCOPES) == {}
    # The owner's comparison row of the adopter's unit and the adopter's own figures: one cell.
    shown = _protected(owners, [])
    later = _protected(adopters, [suppression.Release(published=shown, internal=owners)])
    assert (
        later["unit 1"]["comparison"]["units"][0]["enrolled"]
        == shown["programme of A"]["comparison"]["units"][1]["enrolled"]
    )


# An owner's unit and an adopter's unit of eight each, five of the adopter's enrolled (its 8 − 5
# and the flow hide the 5 in the adopter's own shared report).
OWNERS_EIGHT = (
    "A",
    4,
    [
        (0, None, [1, 0, 1, 0], 3, (20, None)),
        (3, None, [0, 0, 0, 1], 2, None),
        (2, None, [1, 0, 1, 1], None, (9, None)),
        (0, "dropped_out", [2, 1, 1, 2], 4, (7, None)),
        (1, "not_reached", [2, 1, 2, 0], None, None),
        (2, "dropped_out", [1, 0, 1, 1], None, (7, 3)),
        (0, None, [1, 2, 0, 0], None, (8, 6)),
        (2, "dropped_out", [0, 2, 1, 1], None, (23, 21)),
    ],
)
ADOPTERS_EIGHT = (
    "B",
    2,
    [
        (0, "dropped_out", [1, 1, 1, 0], 5, (0, 7)),
        (0, "declined", [2, 1, 2, 1], None, (8, None)),
        (3, None, [0, 2, 1, 0], 2, None),
        (0, None, [0, 2, 0, 2], None, (24, None)),
        (3, None, [0, 2, 0, 2], None, (18, None)),
        (3, "declined", [1, 2, 1, 2], 1, None),
        (1, None, [2, 2, 1, 0], None, (13, None)),
        (3, "dropped_out", [0, 0, 1, 1], None, None),
    ],
)


def _owners_internal() -> dict[str, Any]:
    """The owner's internal report: its own unit in full, the adopter's row in the comparison."""
    report = programmes.report([OWNERS_EIGHT])
    report["comparison"] = programmes.report([OWNERS_EIGHT, ADOPTERS_EIGHT])["comparison"]
    for level in ("units", "sites", "organisations"):
        for row in report["comparison"][level]:
            row["own"] = row["organisation"] == "A"
    return report


def test_the_internal_views_comparison_is_protected_with_what_left() -> None:
    owners = _owners_internal()
    adopters = {"programme of B": programmes.report([ADOPTERS_EIGHT], first=1)}
    adopters["unit 1"] = programmes.report([ADOPTERS_EIGHT], first=1)
    scopes = {"programme of B"}
    # One at a time: the owner's view of the adopter's row and the adopter's own shared report
    # give away the adopter's 5 enrolled.
    apart = [
        ({"internal": suppression.internal(owners, LIMIT)}, {"internal": owners}),
        (_protected(adopters, []), adopters),
    ]
    assert attacker.recoveries_releases(apart, scopes)[("1 unit 1", "recruitment", "total", "enrolled")] == 5
    # The adopter's report first, then the owner's internal view with it.
    shown = _protected(adopters, [])
    view = suppression.internal(owners, LIMIT, released=[suppression.Release(published=shown, internal=adopters)])
    assert attacker.recoveries_releases([({"internal": view}, {"internal": owners}), (shown, adopters)], scopes) == {}
    assert view["recruitment"] == owners["recruitment"]  # its own figures stay whole
    # The owner's internal view first (its rows of others recorded), then the adopter's report.
    view = suppression.internal(owners, LIMIT)
    seen = suppression.Release(
        published={"others": suppression.others_only(view)}, internal={"others": suppression.others_only(owners)}
    )
    later = _protected(adopters, [seen])
    assert attacker.recoveries_releases([({"internal": view}, {"internal": owners}), (later, adopters)], scopes) == {}


# The later sections, each with a programme where the defender forgetting its relations gives a
# hidden count away. One family with both service-use counts in each of five units (Perhe
# yhtenäiseksi's demo is the same): the programme's five pairs make each unit's hidden pair 1.
FAMILIES = [
    ("A", 2, [(3, None, [0, 0, 1, 0], 4, (12 + u, 3))] + [(2, None, [0, 0, 0, 0], None, None)] * 4) for u in range(5)
]
# One person behind one theme: the section's one coded excerpt bounds its hidden people.
ONE_SPEAKER = [("A", 2, [(2, "not_reached", [2, 2, 2, 0], 4, None)])]
# Two due for the intake questionnaire in a unit of two: the programme's due less the other unit's.
TWO_DUE = [
    ("A", 1, [(2, None, [0, 1, 0, 1], None, None), (2, "not_reached", [0, 0, 1, 0], 3, (3, 7))]),
    (
        "A",
        4,
        [
            (1, "dropped_out", [0, 2, 1, 0], None, None),
            (2, "dropped_out", [0, 2, 0, 0], 4, (7, None)),
            (1, None, [0, 0, 1, 0], 3, None),
            (2, "declined", [0, 2, 1, 2], None, None),
            (3, "dropped_out", [2, 0, 2, 0], None, (15, None)),
            (2, "declined", [0, 1, 1, 1], None, (9, 8)),
            (1, "not_reached", [1, 2, 2, 0], None, (17, None)),
            (3, None, [1, 1, 0, 2], 1, None),
        ],
    ),
]


@pytest.mark.parametrize(
    ("section", "units", "cell", "value"),
    [
        ("service_use", FAMILIES, ("unit 0", "service_use", 0, "scores", 0, "groups", 0, "n"), 1),
        ("qualitative", ONE_SPEAKER, ("unit 0", "qualitative", "themes", 3, "people"), 1),
        ("response_rates", TWO_DUE, ("unit 0", "response_rates", 0, "due"), 2),
    ],
)
def test_the_later_sections_are_protected_with_their_relations(
    monkeypatch: Any, section: str, units: Any, cell: Any, value: int
) -> None:
    # What people said, service use and the response rates went through the table rules only:
    # with their relations (within the report, with its other sections and between a programme's
    # reports) left out of the defender, the attacker (attacker.read_newer) solves the cell.
    internals = programmes.report_set(units)
    relate, at_most = disclosure.Ledger.relate, disclosure.Ledger.at_most

    def forgetful(ledger: disclosure.Ledger, relation: Any) -> None:
        if not any(section in path for path in relation):
            relate(ledger, relation)

    def unordered(ledger: disclosure.Ledger, smaller: Any, larger: Any) -> None:
        if section not in smaller and section not in larger:
            at_most(ledger, smaller, larger)

    monkeypatch.setattr(disclosure.Ledger, "relate", forgetful)
    monkeypatch.setattr(disclosure.Ledger, "at_most", unordered)
    forgot = suppression.shared_set(internals, LIMIT)
    monkeypatch.setattr(disclosure.Ledger, "relate", relate)
    monkeypatch.setattr(disclosure.Ledger, "at_most", at_most)
    assert attacker.recoveries_set(forgot, internals)[cell] == value
    shared, recovered, leaks = _attacked_together(internals)
    assert (recovered, leaks) == ({}, [])
    assert disclosure.count_at(shared, cell) == X


# Two units of one organisation: the owner's set (the programme's report and each unit's) and
# the set of a viewer of the second unit only (its programme report and the unit's).
SAID_A = [
    (0, "declined", [2, 1, 1, 1], 5, (0, None)),
    (3, "declined", [0, 2, 0, 0], 1, (17, None)),
    (2, "not_reached", [1, 1, 2, 2], 4, None),
    (1, "dropped_out", [0, 1, 1, 2], 4, (6, 16)),
    (2, "dropped_out", [1, 0, 2, 2], 4, (25, 19)),
    (0, "declined", [2, 0, 2, 2], 1, None),
    (0, None, [0, 1, 0, 1], 1, (8, None)),
    (2, None, [0, 0, 1, 2], 1, (21, 8)),
]
SAID_B = [
    (3, None, [0, 1, 1, 1], 3, None),
    (2, "declined", [2, 1, 0, 0], None, None),
    (3, "dropped_out", [2, 0, 2, 2], 4, (14, None)),
    (2, "dropped_out", [0, 2, 1, 0], 1, None),
    (2, "not_reached", [2, 0, 1, 2], 2, None),
    (3, "declined", [2, 2, 2, 0], 3, None),
    (3, "declined", [1, 0, 2, 1], 2, (16, None)),
]


def test_the_later_sections_are_protected_with_another_viewers_set(monkeypatch: Any) -> None:
    units = [("A", 4, SAID_A), ("A", 3, SAID_B)]
    owners = {
        "programme of A": programmes.report(units),
        "unit 0": programmes.report(units[:1]),
        "unit 1": programmes.report(units[1:], first=1),
    }
    second = {"programme of B": programmes.report(units[1:], first=1), "unit 1": programmes.report(units[1:], first=1)}
    scopes = {"programme of A", "programme of B"}

    def in_turn() -> list[tuple[dict[str, Any], dict[str, Any]]]:
        shown = _protected(owners, [])
        return [(shown, owners), (_protected(second, [suppression.Release(published=shown, internal=owners)]), second)]

    with monkeypatch.context() as before:  # what left linked by the first sections only
        before.setattr(suppression, "_sections", lambda report: {s: report[s] for s in suppression.SECTIONS})
        recovered = attacker.recoveries_releases(in_turn(), scopes)
    # The owner's set hid the first unit's 4 people behind its themes and the second unit's
    # count; the second viewer's set, protected without that link, showed the second unit's.
    assert recovered[("0 unit 0", "qualitative", "people")] == 4
    assert recovered[("0 unit 0", "qualitative", "themes", 0, "people")] == 2
    assert attacker.recoveries_releases(in_turn(), scopes) == {}


def test_the_registry_keeps_the_later_sections_counts_without_their_words() -> None:
    report = programmes.report([("A", 2, SAID_A)])
    report["qualitative"]["quotes"] = [{"text": "Täällä minut kuullaan.", "themes": ["hope"]}]
    report["qualitative"]["themes"][0]["description"] = "Mitä aloituksesta sanottiin"
    report["service_use"][0]["description"] = "Perhetyön käynnit"
    kept = releases._counts_only(report)
    assert kept["qualitative"]["quotes"] == []
    assert kept["qualitative"]["themes"][0]["description"] == kept["service_use"][0]["description"] == ""
    assert kept["qualitative"]["themes"][0]["people"] == report["qualitative"]["themes"][0]["people"] > 0
    assert kept["service_use"][0]["scores"] == report["service_use"][0]["scores"]
    assert kept["response_rates"] == report["response_rates"]
