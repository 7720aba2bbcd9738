# The README's two commands: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
# .python-version pins 3.12; pyenv resolves it, otherwise a python3.12 on the PATH is used.
PYTHON312 := $(shell pyenv which python 2>/dev/null || command -v python3.12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint serve demo install mutation

$(VENV)/.installed: requirements.txt
	@$(PYTHON312) -c 'import sys; assert sys.version_info[:2] == (3, 12), "Python 3.12 is needed, found " + sys.version' \
		|| { echo "Install Python 3.12 (pyenv install 3.12) and try again."; exit 1; }
	test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	# uv installs the pinned packages in seconds where pip takes minutes; pip only installs uv.
	test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	# Compiled as installed: where PYTHONDONTWRITEBYTECODE is set (as on these machines) every
	# process would otherwise compile Django, pandas and WeasyPrint again as it starts.
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -r requirements-dev.txt
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# Sets everything up and serves the demo inspections on SQLite at http://127.0.0.1:8000
run: install demo serve

# DEBUG is off unless set (inspection/settings.py). The demo is a developer's server: its users'
# passwords are in the README, and load_demo refuses to run with DEBUG off.
demo serve lint: export DEBUG ?= 1

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# The web server and, beside it, the worker that renders report PDFs (Django's tasks, queued in
# the database); the worker stops when the server does.
serve:
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-dev node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

# The whole suite on SQLite, then on PostgreSQL (skipped with a message when no server
# answers, unless REQUIRE_POSTGRES=1 as in CI).
test: $(VENV)/.installed-dev node_modules/.installed
	bash scripts/test.sh

# Mutation testing of findings, proportions and services ([tool.mutmut] in pyproject.toml):
# two workers, as the machines are shared; results are cached in mutants/, so a second run
# only retests what changed. Prints killed / survived / untested per module and the score.
# The migrated test database is built once a run and copied by every mutant's test run
# (TEST_DATABASE_TEMPLATE, tests/conftest.py); removed first, so a run never uses an old one.
mutation: $(VENV)/.installed-dev
	rm -f mutants/test-database.sqlite3
	env -u DATABASE_URL TEST_DATABASE_TEMPLATE=$(CURDIR)/mutants/test-database.sqlite3 \
		$(VENV)/bin/mutmut run --max-children 2 || true
	$(PY) scripts/mutation_score.py $(VENV)/bin/mutmut
