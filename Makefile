# The two commands: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WORKERS ?= 3
MANAGE := $(PY) manage.py

.PHONY: run dev test test-browser guide lint format messages makemessages migrate demo bench audit worker clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Pilotti needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

messages: $(VENV)/.installed
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v0

# Local serving is plain HTTP on the loopback address: secure-only cookies are off there.
run dev migrate demo: export HTTPS ?= off
# Links in mails and demo pages point at the port the server runs on, unless SITE_URL is set.
run dev demo: export SITE_URL ?= http://127.0.0.1:$(PORT)

migrate: messages
	$(MANAGE) migrate --noinput -v0

demo: migrate
	$(MANAGE) load_demo

run: demo
	$(MANAGE) collectstatic --noinput -v0
	@echo "Pilotti is at http://127.0.0.1:$(PORT)/"
	$(VENV)/bin/gunicorn pilotti.wsgi --config deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers $(WORKERS)

dev: export DEBUG ?= 1
dev: demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The background worker (reports, exports, reminders) when the tasks queue is the database's;
# on SQLite tasks run in the web process and no worker is needed (docs/deployment.md).
worker: migrate
	$(MANAGE) db_worker

# pytest exits 5 when it collected no tests: that is a broken suite, not a pass. The suite runs
# on every core (pytest-xdist, a test database per worker); a file's tests stay on one worker so
# that module-wide fixtures such as the authorisation matrix's world are built once.
PYTEST_WORKERS ?= auto
test: messages
	@$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

test-browser: messages
	$(PY) -m pytest -m browser

# Retakes the screenshots of the user guide (docs/guide/img) with the browser tests that walk it.
guide: messages
	PILOTTI_GUIDE_DIR=docs/guide/img $(PY) -m pytest tests/browser/test_guide.py -p no:cacheprovider

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	HTTPS=off $(MANAGE) makemigrations --check --dry-run -v0

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# surveys/locale holds only the participant languages (docs/answering.md): ignored, or makemessages
# would move the surveys app's Finnish, Swedish and English strings there.
makemessages: $(VENV)/.installed
	cd pilotti && ../$(PY) ../manage.py makemessages -l fi -l sv -l en --no-obsolete --add-location=file --ignore=surveys/locale

# Supply chain (docs/security.md): an SBOM of the installed environment, then pip-audit read
# strictly: known vulnerabilities fail, and so does an audit that could not check every package
# (vulnerability service unreachable) unless AUDIT_ALLOW_INCOMPLETE=1.
audit: $(VENV)/.installed
	@mkdir -p var
	$(VENV)/bin/cyclonedx-py environment --pyproject pyproject.toml --of JSON -o var/sbom.cdx.json $(PY)
	@echo "SBOM written to var/sbom.cdx.json"
	$(PY) -m tools.supply_chain

# Benchmarks as ratios into docs/benchmarks.md (SQLite; PostgreSQL when DATABASE_URL names one).
# The data sets are kept under var/bench/ (or a schema per data set) and reused by later runs.
SCALE ?= 100000
bench: messages
	$(PY) -m bench --scale $(SCALE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/static
