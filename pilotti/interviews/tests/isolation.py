"""URL kwargs of the interview pages, pointing at objects of ``world.org``, and the matrix's answers."""

from typing import Any

from tests.factories import coded_interview, make_programme


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan haastattelut")
    coded = coded_interview(programme, world.org, actor=world.coordinator)
    by_slug = {"slug": programme.slug}
    return {
        "interviews:programme": by_slug,
        "interviews:interview_add": by_slug,
        "interviews:theme_add": by_slug,
        "interviews:sources": by_slug,
        "interviews:excerpt_add": by_slug,
        "interviews:detail": {"interview_uuid": coded.interview.uuid},
        "interviews:notes": {"interview_uuid": coded.interview.uuid},
        "interviews:interviewee_add": {"interview_uuid": coded.interview.uuid},
        "interviews:interviewee_remove": {"interviewee_uuid": coded.interviewee.uuid},
        "interviews:theme_edit": {"theme_uuid": coded.theme.uuid},
        "interviews:excerpt_edit": {"excerpt_uuid": coded.excerpt.uuid},
        "interviews:excerpt_check": {"excerpt_uuid": coded.excerpt.uuid},
        "interviews:excerpt_remove": {"excerpt_uuid": coded.excerpt.uuid},
    }


def _row(own: str, *, runs: bool, other: str = "404") -> dict[str, str]:
    """``runs``: a page of the programme, shown to each organisation running it for its own
    material (owner, partner, adopter); else an object of world.org, 404 to everyone else."""
    return {
        "own": own,
        "partner": own if runs else other,
        "adopter": own if runs else other,
        "other": other,
        "anonymous": "login",
    }


# Cells per relation: admin coordinator facilitator evaluator (tests/authz.py). Admins read;
# coordinators plan interviews, read notes and take excerpts; coordinators and evaluators code;
# facilitators see none of it.
EXPECTED: dict[str, dict[str, str]] = {
    "interviews:programme": _row("200 200 404 200", runs=True),
    "interviews:interview_add": _row("405/403 405/400 405/404 405/403", runs=True, other="405/404"),
    "interviews:theme_add": _row("405/403 405/400 405/404 405/400", runs=True, other="405/404"),
    "interviews:sources": _row("403 200 404 403", runs=True),
    # Without a source named in the address, the coordinator is sent to choose one.
    "interviews:excerpt_add": _row("403 302 404 403", runs=True),
    "interviews:detail": _row("200/403 200/400 404 200/403", runs=False),
    "interviews:notes": _row("405/403 405/400 405/404 405/403", runs=False, other="405/404"),
    "interviews:interviewee_add": _row("405/403 405/400 405/404 405/403", runs=False, other="405/404"),
    # Without a reason nothing is removed: back to the interview with a message.
    "interviews:interviewee_remove": _row("405/403 405/302 405/404 405/403", runs=False, other="405/404"),
    # An empty POST shows the form again, as a GET does (as the cost page's correction does).
    "interviews:theme_edit": _row("403 200 404 200", runs=False),
    "interviews:excerpt_edit": _row("200/403 200 404 200", runs=False),
    "interviews:excerpt_check": _row("405/403 405/302 405/404 405/302", runs=False, other="405/404"),
    "interviews:excerpt_remove": _row("405/403 405/302 405/404 405/302", runs=False, other="405/404"),
}
