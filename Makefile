# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Django 6.1 needs Python 3.12 or newer; the first one found is used for the virtualenv.
PYTHON_CANDIDATES = python3.14 python3.13 python3.12 python3 \
	$(shell ls -d $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV)

.PHONY: help system-libs setup run serve test bench faults lint format lock messages clean

help:
	@echo "make run    set up, migrate, load the seed data and serve on http://127.0.0.1:$(PORT)"
	@echo "make serve  production server: collect static files, migrate, start gunicorn (DEBUG=False; see README)"
	@echo "make test   lint and run the whole test suite"
	@echo "make bench  time the heavy work at scale, then serve the national data set and load each page (README)"
	@echo "make faults restart PostgreSQL under load and check that the server recovers and no saved value is lost"
	@echo "make messages  extract and compile the Swedish and English translations"
	@echo "make lock   re-resolve requirements*.lock from pyproject.toml"

$(VENV)/.installed: requirements-dev.lock
	@if [ ! -x $(PY) ]; then \
		for candidate in $(PYTHON_CANDIDATES); do \
			if $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
				echo "Creating $(VENV) with $$candidate"; \
				$$candidate -m venv $(VENV) && break; \
			fi; \
		done; \
		[ -x $(PY) ] || { echo "Python 3.12 or newer is required (Django 6.1)." >&2; exit 1; }; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $@

# Det Fælles Designsystem and axe-core, from npm (package-lock.json).
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# WeasyPrint draws the status reports' PDFs with Pango, and embeds only the letters used with
# HarfBuzz's subsetter (Debian's packages below). They are installed when missing and this
# user may (root, apt-get; the package lists refreshed if they are stale). Otherwise setup
# stops without Pango, which the reports and their tests need, and only warns without the
# subsetter, without which a report takes about a third longer.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig
HAS_LIBRARY = /sbin/ldconfig -p | grep -q
system-libs:
	@if ! $(HAS_LIBRARY) 'libpangoft2-1.0.so.0' || ! $(HAS_LIBRARY) 'libharfbuzz-subset.so.0'; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES) \
				|| { apt-get update && apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES); }; \
		elif ! $(HAS_LIBRARY) 'libpangoft2-1.0.so.0'; then \
			echo "The PDF reports need Pango: apt-get install $(SYSTEM_PACKAGES)" >&2; exit 1; \
		else \
			echo "Without HarfBuzz's subsetter the PDF reports take a third longer: apt-get install libharfbuzz-subset0" >&2; \
		fi; \
	fi

setup: system-libs $(VENV)/.installed node_modules/.installed

run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_seed
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production server. DEBUG is off whatever .env says: gunicorn serves no static files in
# DEBUG mode, and a debug page must never reach the public. Settings: gunicorn.conf.py, README.
serve: export DEBUG := False
serve: setup
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py migrate --no-input
	$(VENV)/bin/gunicorn --config gunicorn.conf.py

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# One pytest worker per core (pytest-xdist); each worker has its own test database.
TEST_WORKERS ?= auto
test: lint
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

# Benchmarks print their timings; they assert no times. Not part of `make test`. The pytest ones
# time the upload and the reporting pages on a test database (DATABASE_URL); bench/run.py serves
# the national data set with `make serve` (BENCH_DATABASE_URL, PostgreSQL; BENCH_CACHE_URL,
# Redis) and measures each page type under load, into bench/results/.
bench: setup
	$(VENV)/bin/pytest benchmarks -q -s
	$(PY) bench/run.py

# PostgreSQL stopped and crashed while a production server serves pages and saves (faults/,
# README). It starts a throwaway PostgreSQL of its own on FAULTS_PORT, never the shared one.
FAULTS_PORT ?= 55432
faults: setup
	DATABASE_URL=postgres://postgres@127.0.0.1:$(FAULTS_PORT)/faults \
		LOG_LEVEL=WARNING $(VENV)/bin/pytest faults -q -s -p no:xdist --no-migrations

# Extract the UI strings into locale/*/django.po, then compile the catalogs (needs gettext).
# compilemessages also compiles locale_overrides/ (in LOCALE_PATHS), the hand-written Danish and
# Swedish for Django's and the packages' texts; makemessages writes only into locale/, as it
# must: extracting into the overrides would drop them all as obsolete.
messages: setup
	$(PY) manage.py makemessages -l sv -l en --no-obsolete --ignore=.venv --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# Resolving needs uv (`pip install uv`); installing never does.
lock:
	uv pip compile pyproject.toml --python-version 3.12 --generate-hashes -o requirements.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.12 --generate-hashes \
		-o requirements-dev.lock

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts
