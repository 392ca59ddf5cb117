"""The small-number rules (docs/statistics.md, Small numbers), one by one."""

from typing import Any

from pilotti.evaluation import suppression
from pilotti.evaluation.suppression import SUPPRESSED as X


def test_it_hides_counts_of_one_to_four_and_keeps_zero_and_five() -> None:
    cells, total = suppression.additive([0, 4, 5, 12], 21, 5)
    assert cells[0] == 0
    assert cells[1] == X
    assert total == 21


def test_it_hides_a_second_cell_so_a_lone_hidden_one_cannot_be_recovered_from_the_total() -> None:
    cells, total = suppression.additive([3, 9, 12], 24, 5)
    assert cells == [X, X, 12]  # the next smallest non-zero cell goes too
    assert total == 24


def test_it_hides_the_total_when_no_other_cell_can_go() -> None:
    cells, total = suppression.additive([3, 0, 0], 3, 5)
    assert cells == [X, 0, 0]
    assert total == X
    cells, total = suppression.additive([2, 0], 7, 5)
    assert total == X


def test_it_hides_a_share_whose_complement_is_small() -> None:
    entry: dict[str, Any] = {"n": 4, "share": 0.8, "ci_low": 0.37, "ci_high": 0.96}
    suppression.proportion(entry, 5, 5)
    assert entry == {"n": X, "share": X, "ci_low": X, "ci_high": X}
    complement: dict[str, Any] = {"n": 6, "share": 6 / 8, "ci_low": 0.4, "ci_high": 0.9}
    suppression.proportion(complement, 8, 5)  # 2 did not: recoverable from 6 of 8
    assert complement["n"] == X
    fine: dict[str, Any] = {"n": 10, "share": 0.5, "ci_low": 0.3, "ci_high": 0.7}
    suppression.proportion(fine, 20, 5)
    assert fine["share"] == 0.5


def _report(**changes: Any) -> dict[str, Any]:
    stages = dict.fromkeys(suppression.STAGE_COLUMNS, 0)
    total = {
        **stages,
        "segment": "",
        "target": 8,
        "contacted": 40,
        "interested": 14,
        "enrolled": 8,
        "started": 8,
        "completed": 7,
        "declined": 20,
        "not_reached": 12,
        "dropped_out": 1,
    }
    flow = [
        {
            "step": "contacted",
            "n": 40,
            "left": [{"n": 20}, {"n": 12}, {"n": 0}],
            "reasons": [{"reason": "Ei koe tarvetta."}],
            "in_progress": 0,
        },
        {"step": "enrolled", "n": 8, "left": [{"n": 0}, {"n": 0}, {"n": 0}], "reasons": [], "in_progress": 0},
        {
            "step": "started",
            "n": 8,
            "left": [{"n": 0}, {"n": 0}, {"n": 1}],
            "reasons": [{"reason": "Terveydentila heikkeni."}],
            "in_progress": 0,
        },
        {"step": "completed", "n": 7, "left": [], "reasons": [], "in_progress": 0},
    ]
    report: dict[str, Any] = {
        "view": "internal",
        "recruitment": {
            "segments": [dict(total, segment="A")],
            "total": total,
            "referral_sources": [dict(total, source="outreach")],
            "flow": flow,
        },
        "attendance": {
            "meetings": [{"number": 1, "present": 3, "absent": 1, "excused": 3, "recorded": 7, "visitors": 2}],
            "by_number": [
                {"number": 1, "meetings": 1, "present": 3, "absent": 1, "excused": 3, "recorded": 7, "visitors": 2}
            ],
            "participants": [{"code": "IK-1"}],
            "rate_bands": [
                {"low": 0.0, "high": 0.5, "n": 2},
                {"low": 0.5, "high": 1.0, "n": 6},
                {"low": 1.0, "high": None, "n": 0},
            ],
            "summary": {
                "starters": 8,
                "median_rate": 0.7,
                "q1_rate": 0.6,
                "q3_rate": 0.8,
                "rate": 0.76,
                "attended": 29,
                "offered": 38,
                "visitors": 2,
            },
            "dose": {"reached": 8, "of": 8, "share": 1.0, "ci_low": 0.67, "ci_high": 1.0},
            "dropout_by_meeting": [{"number": 9, "n": 1}],
            "dropouts": 1,
        },
        "feedback": [],
        "before_after": [
            {
                "people": 4,
                "measured_people": 4,
                "scores": [
                    {
                        "groups": [
                            {
                                "population": "all_pairs",
                                "n": 4,
                                "pre": {"mean": 1},
                                "d_z": {"g": 2},
                                "rci": {"counts": {"improved": 4}},
                            }
                        ]
                    }
                ],
            }
        ],
        "comparison": {"instruments": [], "units": [], "sites": [], "organisations": []},
    }
    report.update(changes)
    return report


def test_it_hides_a_small_drop_along_the_flow_and_every_reason_text() -> None:
    shared = suppression.shared(_report())
    steps = {s["step"]: s for s in shared["recruitment"]["flow"]}
    assert (steps["contacted"]["n"], steps["enrolled"]["n"], steps["started"]["n"]) == (40, 8, 8)
    assert steps["completed"]["n"] == X  # 8 started and 7 completed would reveal that 1 left
    assert steps["started"]["left"][2]["n"] == X
    assert all(step["reasons"] == [] for step in shared["recruitment"]["flow"])
    assert shared["recruitment"]["total"]["completed"] == X
    assert shared["recruitment"]["total"]["dropped_out"] == X
    assert shared["recruitment"]["total"]["contacted"] == 40


def test_it_leaves_out_people_rows_and_small_groups_statistics() -> None:
    shared = suppression.shared(_report())
    assert shared["view"] == "shared"
    assert shared["threshold"] == 5
    assert shared["attendance"]["participants"] == []
    meeting = shared["attendance"]["meetings"][0]
    assert meeting["present"] == X
    assert meeting["absent"] == X
    assert meeting["excused"] == X
    assert shared["attendance"]["dropout_by_meeting"][0]["n"] == X
    by_number = shared["attendance"]["by_number"][0]
    assert (by_number["present"], by_number["absent"], by_number["excused"], by_number["meetings"]) == (X, X, X, 1)
    # 2 is small, and 6 alone would give it away from the 8 starters: both hidden.
    assert [band["n"] for band in shared["attendance"]["rate_bands"]] == [X, X, 0]
    group = shared["before_after"][0]["scores"][0]["groups"][0]
    # No means, effect sizes or RCI for 4 people, and the page says why.
    assert group == {"population": "all_pairs", "n": X, "withheld": "fewer_people"}


def test_it_does_not_touch_the_internal_report() -> None:
    report = _report()
    suppression.shared(report)
    assert report["recruitment"]["flow"][3]["n"] == 7


def test_the_internal_view_suppresses_only_other_organisations_rows() -> None:
    row = {
        "name": "x",
        "organisation": "B",
        "own": False,
        "units": 1,
        "enrolled": 3,
        "started": 3,
        "completed": 2,
        "meetings_held": 4,
        "present": 9,
        "recorded": 12,
        "attendance_rate": 0.75,
        "ratings": {"r": {"n": 3, "people": 3, "mean": 9.0, "sd": 1.0, "ci_low": 7.0, "ci_high": 11.0}},
    }
    own = dict(row, name="y", organisation="A", own=True, ratings={})
    report = _report(
        comparison={"instruments": [], "units": [row, own], "sites": [], "organisations": [dict(row), dict(own)]}
    )
    internal = suppression.internal(report)
    assert internal["comparison"]["units"][0]["enrolled"] == X
    assert internal["comparison"]["units"][0]["ratings"]["r"]["mean"] == X
    assert internal["comparison"]["units"][1]["enrolled"] == 3
