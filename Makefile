# Coopérascope — `make run` starts the dashboard on demo data, `make test` runs every test.
# Both do their own set-up on a fresh machine (Python ≥ 3.11 and make are all they need).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint format bench chromium postgres pg-client clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.installed-app

run: $(VENV)/.installed-app
	$(BIN)/cooperascope db upgrade
	$(BIN)/cooperascope demo load --if-empty
	$(BIN)/cooperascope indicators compute
	$(BIN)/streamlit run dashboard/server.py

# Debian's chromium drives the browser tests (Playwright's own download is blocked here).
chromium:
	@[ -x /usr/bin/chromium ] || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core; }

# The tests run on SQLite and on PostgreSQL; start the local server if it is down.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  echo "PostgreSQL is down: starting it"; \
	  $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; }
	@pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }

# pg_dump, pg_restore and psql: `cooperascope backup` and `restore` on PostgreSQL (and their
# tests). Their major version must be the server's or newer.
PG_CLIENT_VERSION ?= 15
pg-client:
	@command -v pg_dump >/dev/null && command -v pg_restore >/dev/null && command -v psql >/dev/null || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-client-$(PG_CLIENT_VERSION); }

test: $(VENV)/.installed-test chromium postgres pg-client
	TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
