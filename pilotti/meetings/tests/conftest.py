from collections.abc import Iterator
from datetime import datetime

import pytest

from pilotti.meetings import sms
from tests.factories import NOW


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Django's clock stopped at NOW (a Wednesday noon in Helsinki)."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def sms_outbox(settings: pytest.FixtureRequest) -> Iterator[list[sms.TextMessage]]:
    settings.SMS_BACKEND = "pilotti.meetings.sms.LocmemBackend"  # type: ignore[attr-defined]
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
