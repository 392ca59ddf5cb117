"""gunicorn's settings for `make run` (and a start for production: docs/deployment.md).

`make run` passes the address, the worker count and the access logger on its command line.
"""

import os

# Threads instead of sync workers: with sync workers as many slow clients as there are workers
# stopped every user (issue 28). A gthread worker parks a connection that has sent nothing on
# its poller instead of a thread, and answers on GUNICORN_THREADS threads; a client that sends
# its request slowly still holds one thread, so production sits behind nginx, which buffers
# whole requests before it passes them on (README.md).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that runs longer is cut off and its worker replaced (the reports and PDFs of the
# largest programmes take a few seconds, docs/benchmarks.md).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
keepalive = 5
