# Hofburg: one command per habit. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install lock demo serve test lint types boundaries check pytest test-postgres bench messages vendor browser-deps clean

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# requirements/run.lock: what runs the product; requirements/dev.lock: that plus what develops
# and tests it (the same pins: it is compiled under run.lock). Every file is checked against its
# hash; the project itself goes in editable and without dependencies (they are all locked).
$(STAMP): pyproject.toml requirements/run.lock requirements/dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "Hofburg needs $(PYTHON) on PATH" >&2; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the locked dependencies (hashes checked)

# pip-tools runs in a throwaway venv, against PyPI alone (no local pip configuration), so the
# hashes are those of the files PyPI serves for every platform. Pins already in a lock file are
# kept; to move one: make lock LOCK_ARGS="--upgrade-package NAME".
PIP_TOOLS := pip-tools==7.7.0
LOCK_VENV := $(or $(TMPDIR),/tmp)/hofburg-lock-venv
PIP_COMPILE = cd requirements && PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= CUSTOM_COMPILE_COMMAND="make lock" \
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras \
	--no-emit-index-url --no-emit-find-links --index-url https://pypi.org/simple \
	$(LOCK_ARGS)

lock: ## regenerate requirements/run.lock and dev.lock (hashes) from pyproject.toml
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  PIP_CONFIG_FILE=/dev/null $(LOCK_VENV)/bin/pip install --quiet $(PIP_TOOLS); }
	$(PIP_COMPILE) --extra fast -o run.lock ../pyproject.toml
	$(PIP_COMPILE) --extra fast --extra dev -c run.lock -o dev.lock ../pyproject.toml

demo: $(STAMP) ## set up the database with reference and demo data, print demo accounts, serve on :8000
	$(BIN)/hofburg demo --host $(HOST) --port $(PORT)

serve: $(STAMP) ## serve the existing database on :8000
	$(BIN)/hofburg serve --host $(HOST) --port $(PORT)

# libharfbuzz-subset0: WeasyPrint subsets fonts with it; without it, with fontTools, a PDF takes
# about ten times as long (a journal of the day 1.2 s instead of 0.12 s).
browser-deps: ## install Debian's chromium (browser tests), gettext (catalogue checks) and HarfBuzz's subsetter (PDFs) when missing
	@{ test -x /usr/bin/chromium && command -v xgettext >/dev/null && /sbin/ldconfig -p | grep -q libharfbuzz-subset.so.0; } || { \
	  echo "Installing Debian's chromium, gettext and libharfbuzz-subset0 for the tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium gettext libharfbuzz-subset0 >/dev/null; }

lint: $(STAMP) ## ruff
	$(BIN)/ruff check src tests benchmarks

types: $(STAMP) ## mypy with django-stubs
	$(BIN)/mypy

boundaries: $(STAMP) ## import-linter: engines are pure, core knows no desk
	$(BIN)/lint-imports

# The suite runs in one process per core (pytest-xdist), each with its own test database
# (test_<name>_gw0, _gw1...) and data folder; a module's tests stay together in one process
# (--dist loadfile), so a module that sets up something costly (a demo site, a served
# instance) sets it up once. PYTEST_WORKERS=0 runs it in this one process; PYTEST_ARGS adds
# options or picks tests: make pytest PYTEST_ARGS="tests/core -x".
PYTEST_WORKERS ?= auto
PYTEST = DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile \
	$(PYTEST_ARGS)

pytest: $(STAMP) browser-deps ## the test suite only, on every core (honours HOFBURG_DATABASE_URL)
	$(PYTEST)

test: lint types boundaries pytest ## everything CI checks: lint, types, boundaries, tests

test-postgres: $(STAMP) browser-deps ## the test suite on PostgreSQL (starts the local cluster if needed)
	bash scripts/ensure-postgres.sh
	HOFBURG_DATABASE_URL=$${HOFBURG_PG_URL:-postgres://postgres@127.0.0.1:5432/hofburg} $(PYTEST)

bench: $(STAMP) ## run the benchmarks and print their figures
	$(BIN)/python -m benchmarks

messages: $(STAMP) ## extract UI strings and compile the catalogues
	cd src/hofburg && ../../$(BIN)/django-admin makemessages --settings=hofburg.settings -a --no-obsolete --no-location
	cd src/hofburg && ../../$(BIN)/django-admin compilemessages --settings=hofburg.settings

vendor: ## refresh static/vendor from the npm pins in package.json
	bash scripts/vendor.sh

clean: ## remove the virtual environment and local data
	rm -rf $(VENV) var
