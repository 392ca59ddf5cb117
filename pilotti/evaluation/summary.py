"""The summary a municipal board reads first: who was reached, how many stayed, what changed and how
sure we are, what participants said, what it cost, and the caveats that apply.

Sentences are written from the report's own figures, in the language active when it is called
(the page's, or the PDF's requester's). It reads only the report it is given, so the shared view's
summary is written from the shared report: a figure the shared view withholds ("suppressed") is
never put into a sentence as a number; the sentence says it is withheld, or is left out.

The wording is hedged on purpose (docs/evaluation.md, "The summary"): before/after figures
without a comparison group do not show that the programme caused a change; an interval that
includes zero is "consistent with no change"; percentages of a few people are marked as such.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Below this many people a percentage moves by several points with one person, and intervals are
# wide: the caveat says so (the threshold a reader of a pilot report can check on the page).
SMALL = 30
# Below this share of starters answering an end-of-programme survey, those who answered may well
# differ from those who did not (non-response bias); the caveat names the rate.
LOW_RESPONSE = 0.7
# Populations of a before/after score, the one the summary reads first first: everyone with two
# measurements, as its sentence says "measured before and after" (intention to treat carries
# baselines forward for people never measured at the end).
POPULATIONS = ("all_pairs", "itt", "completers")
# At most this many feedback sentences: the summary stays one page.
FEEDBACK_SENTENCES = 3


@dataclass(frozen=True)
class Paragraph:
    topic: str  # "reached", "stayed", "changed", "said", "cost": a stable name for tests and CSS
    heading: str
    sentences: list[str]


@dataclass(frozen=True)
class Summary:
    paragraphs: list[Paragraph]
    caveats: list[str] = field(default_factory=list)


def summarise(report: Mapping[str, Any]) -> Summary:
    started = _count(_step(report, "started"))
    paragraphs = [
        Paragraph("reached", _("Who was reached"), _reached(report)),
        Paragraph("stayed", _("How many stayed"), _stayed(report, started)),
        Paragraph("changed", _("What changed, and how sure we are"), _changed(report)),
        Paragraph("said", _("What the feedback said"), _said(report, started)),
    ]
    cost = _cost(report)
    if cost:
        paragraphs.append(Paragraph("cost", _("What it cost"), cost))
    # "95 %" and "80 %" stay on one line: a no-break space before every per cent sign.
    return Summary(
        [Paragraph(p.topic, p.heading, [_nbsp(t) for t in p.sentences]) for p in paragraphs if p.sentences],
        [_nbsp(t) for t in _caveats(report, started)],
    )


def _nbsp(text: str) -> str:
    return text.replace(" %", "\u00a0%")


# --- figures ---------------------------------------------------------------------------------------


def _count(value: Any) -> int | None:
    """A count that may be said; None when withheld ("suppressed") or absent."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _withheld(value: Any) -> bool:
    return isinstance(value, str) and value == "suppressed"


def _int(n: int) -> str:
    return number_format(n, 0, use_l10n=True, force_grouping=True)


def _decimal(value: float, digits: int = 1) -> str:
    return number_format(round(value, digits), digits, use_l10n=True)


def _signed(value: float, digits: int = 1) -> str:
    text = _decimal(abs(value), digits)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text


def _percent(share: float) -> str:
    return f"{_int(round(100 * share))}\u00a0%"


def _step(report: Mapping[str, Any], name: str) -> Any:
    for step in report.get("recruitment", {}).get("flow", []):
        if step.get("step") == name:
            return step.get("n")
    return None


# --- paragraphs ------------------------------------------------------------------------------------


def _reached(report: Mapping[str, Any]) -> list[str]:
    sentences = []
    contacted, enrolled, started = (_step(report, s) for s in ("contacted", "enrolled", "started"))
    if _count(contacted) is not None:
        n = _count(contacted) or 0
        sentences.append(ngettext("%(n)s person was contacted.", "%(n)s people were contacted.", n) % {"n": _int(n)})
    if _count(enrolled) is not None and _count(started) is not None:
        e, s = _count(enrolled) or 0, _count(started) or 0
        sentences.append(
            ngettext(
                "%(e)s enrolled, and %(s)s started the programme.",
                "%(e)s enrolled, and %(s)s started the programme.",
                s,
            )
            % {"e": _int(e), "s": _int(s)}
        )
    elif _count(started) is not None:
        s = _count(started) or 0
        sentences.append(
            ngettext("%(s)s person started the programme.", "%(s)s people started the programme.", s) % {"s": _int(s)}
        )
    if any(_withheld(v) for v in (contacted, enrolled, started)):
        sentences.append(_("Some of these counts are small and are withheld in this view."))
    target = _count(report.get("recruitment", {}).get("total", {}).get("target"))
    if target and _count(enrolled) is not None:
        sentences.append(
            _("The target was %(target)s enrolled: %(share)s of it was reached.")
            % {"target": _int(target), "share": _percent((_count(enrolled) or 0) / target)}
        )
    return sentences


def _stayed(report: Mapping[str, Any], started: int | None) -> list[str]:
    sentences = []
    completed = _count(_step(report, "completed"))
    if started and completed is not None:
        sentences.append(
            ngettext(
                "Of the %(started)s who started, %(completed)s completed the programme (%(share)s).",
                "Of the %(started)s who started, %(completed)s completed the programme (%(share)s).",
                started,
            )
            % {"started": _int(started), "completed": _int(completed), "share": _percent(completed / started)}
        )
    elif _withheld(_step(report, "completed")):
        sentences.append(_("The number who completed is small and withheld in this view."))
    still = _count(
        next(
            (f.get("in_progress") for f in report.get("recruitment", {}).get("flow", []) if f.get("step") == "started"),
            None,
        )
    )
    if still:
        sentences.append(
            ngettext("%(n)s is still taking part.", "%(n)s are still taking part.", still) % {"n": _int(still)}
        )
    attendance = report.get("attendance", {})
    rate = _number(attendance.get("summary", {}).get("rate"))
    if rate is not None:
        sentences.append(_("Attendance was %(rate)s of the places marked at roll calls.") % {"rate": _percent(rate)})
    dose = attendance.get("dose", {})
    reached, of, low, high = (
        _count(dose.get("reached")),
        _count(dose.get("of")),
        _number(dose.get("ci_low")),
        _number(dose.get("ci_high")),
    )
    threshold = _number(dose.get("threshold"))
    if reached is not None and of and threshold is not None:
        text = _("%(reached)s of %(of)s starters attended at least %(threshold)s of their meetings") % {
            "reached": _int(reached),
            "of": _int(of),
            "threshold": _percent(threshold),
        }
        if low is not None and high is not None:
            text += " " + _("(95 %% confidence interval %(low)s–%(high)s)") % {
                "low": _percent(low),
                "high": _percent(high),
            }
        sentences.append(text + ".")
    return sentences


def _group(score: Mapping[str, Any]) -> Mapping[str, Any] | None:
    groups: dict[str, Mapping[str, Any]] = {g.get("population"): g for g in score.get("groups", [])}
    for population in POPULATIONS:
        if population in groups:
            return groups[population]
    return next(iter(groups.values()), None)


def _changed(report: Mapping[str, Any]) -> list[str]:
    sentences = []
    # The measurement plan's primary outcome first: the one the pilot set out to change.
    for instrument in sorted(report.get("before_after", []), key=lambda i: not i.get("primary")):
        scores = instrument.get("scores", [])
        score = next((s for s in scores if s.get("score") == "total"), scores[0] if scores else None)
        group = _group(score) if score else None
        if group is None:
            continue
        sentences.extend(_change(instrument, group))
    if not sentences:
        sentences.append(_("Nobody in this period was measured both before and after, so no change can be shown."))
    return sentences


def _change(instrument: Mapping[str, Any], group: Mapping[str, Any]) -> list[str]:
    name = instrument.get("name", "")
    n = _count(group.get("n"))
    difference = group.get("difference") or {}
    mean, low, high = (_number(difference.get(k)) for k in ("mean", "ci_low", "ci_high"))
    if group.get("withheld") or n is None or mean is None:
        return [_("%(name)s: the results are withheld in this view, to protect a small group.") % {"name": name}]
    lower_is_better = instrument.get("direction") == "lower_is_better"
    pre, post = _number((group.get("pre") or {}).get("mean")), _number((group.get("post") or {}).get("mean"))
    direction = _("lower is better") if lower_is_better else _("higher is better")
    values = {"name": f"{name} ({direction})", "n": _int(n), "change": _signed(mean)}
    if pre is not None and post is not None:
        values.update(pre=_decimal(pre), post=_decimal(post))
        text = ngettext(
            "%(name)s: among the %(n)s person measured before and after, the mean score went from %(pre)s to "
            "%(post)s (%(change)s points).",
            "%(name)s: among the %(n)s people measured before and after, the mean score went from %(pre)s to "
            "%(post)s (%(change)s points).",
            n,
        )
    else:
        text = ngettext(
            "%(name)s: among the %(n)s person measured before and after, the mean score changed by %(change)s points.",
            "%(name)s: among the %(n)s people measured before and after, the mean score changed by %(change)s points.",
            n,
        )
    sentences = [text % values]
    if low is not None and high is not None:
        interval = {"low": _signed(low), "high": _signed(high)}
        if low <= 0 <= high:
            sentences.append(
                _(
                    "The 95 %% confidence interval of the change, %(low)s to %(high)s, includes zero: the figures "
                    "are consistent with no change."
                )
                % interval
            )
        else:
            better = (high < 0) if lower_is_better else (low > 0)
            sentences.append(
                (
                    _(
                        "The 95 %% confidence interval of the change, %(low)s to %(high)s, does not include zero: "
                        "an improvement is likely, though not necessarily because of the programme."
                    )
                    if better
                    else _(
                        "The 95 %% confidence interval of the change, %(low)s to %(high)s, does not include zero: "
                        "on average the scores became worse."
                    )
                )
                % interval
            )
    counts = (group.get("rci") or {}).get("counts")
    if isinstance(counts, Mapping):
        improved = [_count(counts.get(k)) for k in ("recovered", "improved")]
        worse = _count(counts.get("deteriorated"))
        if None not in improved and worse is not None:
            sentences.append(
                ngettext(
                    "%(improved)s of %(n)s changed more than the measure's own error (reliable improvement); "
                    "%(worse)s became reliably worse.",
                    "%(improved)s of %(n)s changed more than the measure's own error (reliable improvement); "
                    "%(worse)s became reliably worse.",
                    n,
                )
                % {"improved": _int(sum(i or 0 for i in improved)), "n": _int(n), "worse": _int(worse)}
            )
        else:
            sentences.append(_("How many changed reliably is withheld in this view: the counts are small."))
    return sentences


def _said(report: Mapping[str, Any], started: int | None) -> list[str]:
    sentences: list[str] = []
    for version in report.get("feedback", []):
        people = _count(version.get("people"))
        if people and started and not version.get("at_meetings"):
            sentences.append(
                _("%(people)s of the %(started)s starters answered “%(name)s” (%(rate)s).")
                % {
                    "people": _int(people),
                    "started": _int(started),
                    "name": version.get("name", ""),
                    "rate": _percent(min(1.0, people / started)),
                }
            )
        for item in version.get("items", []):
            if len(sentences) >= FEEDBACK_SENTENCES + 1:
                break
            sentence = _item(item, version)
            if sentence:
                sentences.append(sentence)
    return sentences


def _item(item: Mapping[str, Any], version: Mapping[str, Any]) -> str | None:
    top = item.get("top_two")
    if isinstance(top, Mapping):
        share, n = _number(top.get("share")), _count(item.get("n"))
        if share is None or n is None:
            return None
        return ngettext(
            "“%(label)s”: %(share)s of %(n)s answer chose %(options)s.",
            "“%(label)s”: %(share)s of %(n)s answers chose %(options)s.",
            n,
        ) % {
            "label": item.get("label", ""),
            "share": _percent(share),
            "n": _int(n),
            "options": _(" or ").join(_("“%(option)s”") % {"option": o} for o in top.get("labels", [])),
        }
    if item.get("type") == "scale":
        mean, n = _number(item.get("mean")), _count(item.get("n"))
        low, high = _number(item.get("scale_min")), _number(item.get("scale_max"))
        if mean is None or n is None or low is None or high is None:
            return None
        return ngettext(
            "%(name)s: mean %(mean)s on a scale of %(low)s–%(high)s (%(n)s rating).",
            "%(name)s: mean %(mean)s on a scale of %(low)s–%(high)s (%(n)s ratings).",
            n,
        ) % {
            "name": version.get("name", ""),
            "mean": _decimal(mean),
            "low": _int(round(low)),
            "high": _int(round(high)),
            "n": _int(n),
        }
    return None


def _cost(report: Mapping[str, Any]) -> list[str]:
    """The report's cost section (``report["cost"]``, report/cost.py) when it has one."""
    cost = report.get("cost")
    if not isinstance(cost, Mapping):
        return []
    if not cost.get("has_inputs"):
        return [_("No hourly rates or costs have been entered for this programme, so its cost cannot be given.")]
    sentences = []
    total = _number(cost.get("total"))
    if total is not None:
        sentences.append(_("The programme cost %(total)s in the period.") % {"total": _euros(total)})
    unpriced = _number(cost.get("unpriced_hours"))
    if unpriced:
        sentences.append(
            _("%(hours)s staff hours had no hourly rate and are not included.") % {"hours": _decimal(unpriced, 0)}
        )
    parts = []
    for key, label in (
        ("per_started", _("%(amount)s per participant who started")),
        ("per_completer", _("%(amount)s per participant who completed")),
    ):
        amount = _number((cost.get(key) or {}).get("amount"))
        if amount is not None:
            parts.append(label % {"amount": _euros(amount)})
    if parts:
        sentences.append(_("That is %(parts)s.") % {"parts": _(" and ").join(parts)})
    for improved in cost.get("per_improved") or []:
        estimate = _number(improved.get("estimate"))
        if estimate is None:
            continue
        low, high = _number(improved.get("ci_low")), _number(improved.get("ci_high"))
        values = {"name": improved.get("name", ""), "estimate": _euros(estimate)}
        if low is not None and high is not None:
            values.update(low=_euros(low), high=_euros(high))
            text = _(
                "Per participant who improved reliably (%(name)s): about %(estimate)s, "
                "95 %% confidence interval %(low)s–%(high)s."
            )
        elif low is not None:
            values.update(low=_euros(low))
            text = _(
                "Per participant who improved reliably (%(name)s): about %(estimate)s; "
                "at least %(low)s, with no upper bound as so few improved reliably."
            )
        else:
            text = _("Per participant who improved reliably (%(name)s): about %(estimate)s.")
        sentences.append(text % values)
        break
    marginal = cost.get("marginal_unit") or {}
    mean, low, high = (_number(marginal.get(k)) for k in ("mean", "low", "high"))
    if mean is not None:
        text = _("Running one more unit cost on average %(mean)s") % {"mean": _euros(mean)}
        if low is not None and high is not None and low != high:
            text += " " + _("(from %(low)s to %(high)s)") % {"low": _euros(low), "high": _euros(high)}
        sentences.append(text + ".")
    return sentences


def _euros(amount: float) -> str:
    return f"{number_format(round(amount), 0, use_l10n=True, force_grouping=True)}\u00a0€"


def _caveats(report: Mapping[str, Any], started: int | None) -> list[str]:
    caveats = []
    if report.get("before_after"):
        caveats.append(
            _(
                "There is no comparison group: the changes before and after may come from other things than the "
                "programme, such as time, other help or scores drifting back towards the average."
            )
        )
    pairs = [
        g.get("n") for i in report.get("before_after", []) for s in i.get("scores", []) for g in s.get("groups", [])
    ]
    withheld = _withheld(_step(report, "started")) or any(_withheld(g) for g in pairs)
    if withheld or (started is not None and started < SMALL) or any(_count(n) is not None and n < SMALL for n in pairs):
        caveats.append(
            _(
                "The numbers are small: one person more or less moves a percentage by several points, and the "
                "intervals are wide."
            )
        )
    for version in report.get("feedback", []):
        people = _count(version.get("people"))
        if not version.get("at_meetings") and people and started and people / started < LOW_RESPONSE:
            caveats.append(
                _(
                    "Only %(rate)s of starters answered “%(name)s”: those who answered may think differently from "
                    "those who did not."
                )
                % {"rate": _percent(people / started), "name": version.get("name", "")}
            )
    if report.get("view") == "shared":
        caveats.append(
            _(
                "In this shared view, figures about fewer than %(threshold)s people are withheld, here as "
                "everywhere in the report."
            )
            % {"threshold": report.get("threshold", 5)}
        )
    return caveats
