"""gunicorn's settings: the one place for them, used by `make run` and by the systemd unit of
docs/deployment.md (`--config deploy/gunicorn.conf.py`); the command lines add only the address
and the worker count.
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
# The access log goes to standard output (the journal under systemd) through the logger that
# masks personal-link, panel and calendar tokens in the request line, path, query and Referer
# (pilotti.audit.gunicorn): with gunicorn's own logger they would be kept in full.
accesslog = "-"
logger_class = "pilotti.audit.gunicorn.MaskingLogger"
# X-Forwarded-Proto is believed from the local proxy only (nginx on the same machine).
forwarded_allow_ips = "127.0.0.1"
