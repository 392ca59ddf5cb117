"""The live server of the browser tests, answering one request at a time.

On SQLite the test database lives in memory, and Django's live server hands every request
thread the test's one connection. Two requests at once (an htmx panel still loading while the
test sends a form) then interleave their savepoints on that connection: "no such savepoint",
a 503 on the browser console, and a test failed in CI for a reason no user can meet.
Production runs each request on a connection of its own; the tests serialise instead.
"""

import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.test.testcases import ThreadedWSGIServer

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class OneRequestAtATime(ThreadedWSGIServer):
    """Threads per connection, as Django's (the browser keeps connections open), one request
    at a time: the response is read to its end and closed (Django's request_finished) under the lock."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._request = threading.Lock()

    def set_app(self, application: WSGIApp) -> None:
        def serial(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
            with self._request:
                response = application(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    close = getattr(response, "close", None)
                    if close is not None:
                        close()

        super().set_app(serial)
