"""Writes of the measurement plan: due questionnaires and safety alerts."""

from pilotti.instruments.models import Response


def response_submitted(*, response: Response) -> None:
    """Called once by every way of answering, right after a response is submitted.

    Marks the due questionnaire answered and raises safety alerts.
    """
