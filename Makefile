# eventapp developer tasks. Fresh clone: `make run` or `make test`.
#
# Everything uses .venv/bin/... explicitly; no need to activate the venv.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=wsgi $(BIN)/flask
PYTEST_ARGS ?=
# `make run PORT=5101` when another program holds 5000.
PORT ?= 5000
# Tests marked timezone_sensitive run again with the machine's clock in each of these zones
# (`make test TEST_ZONES=` skips the re-runs). The service must not depend on the zone it
# runs in: times are stored in UTC and shown in UK time whatever the machine says.
TEST_ZONES ?= Europe/London America/New_York Pacific/Auckland
MUTATE_ARGS ?=

ASSET_SOURCES := $(wildcard eventapp/assets/scss/*.scss eventapp/assets/js/*.js) eventapp/assets/build.mjs
APP_CSS := eventapp/static/css/app.css

.DEFAULT_GOAL := help

.PHONY: help setup venv assets db run test lint bench mutate clean

help:
	@echo "make setup   - create .venv and build front-end assets"
	@echo "make db      - migrate the dev database and load demo data"
	@echo "make run     - setup + db, then serve on http://127.0.0.1:5000 (PORT=... for another)"
	@echo "make test    - setup, then run pytest (PYTEST_ARGS='...' to pass options)"
	@echo "make lint    - ruff check, ruff format --check and mypy"
	@echo "make bench   - run benchmarks (if bench/ exists)"
	@echo "make mutate  - mutation testing of the pure modules (MUTATE_ARGS='...' to pass options)"
	@echo "make clean   - remove .venv, node_modules, built assets and instance/*.db"

# --- Python ------------------------------------------------------------------

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

# --- Front-end assets --------------------------------------------------------

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(APP_CSS): $(ASSET_SOURCES) node_modules/.installed
	npm run build

assets: $(APP_CSS)

# --- Tasks -------------------------------------------------------------------

setup: venv assets

db: setup
	$(FLASK) db upgrade
	$(FLASK) demo load --port $(PORT)

run: setup db
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# pytest creates its own databases; the dev database is not touched.
test: setup
	$(BIN)/ruff check eventapp tests bench config.py wsgi.py
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)
	@for zone in $(TEST_ZONES); do \
		echo "== tests marked timezone_sensitive, with TZ=$$zone"; \
		TZ=$$zone $(BIN)/pytest -q -m timezone_sensitive $(PYTEST_ARGS); \
		status=$$?; [ $$status -eq 0 ] || [ $$status -eq 5 ] || exit $$status; \
	done

lint: venv
	$(BIN)/ruff check eventapp tests bench config.py wsgi.py
	$(BIN)/ruff format --check eventapp bench config.py wsgi.py
	$(BIN)/mypy

bench: setup
	@if [ -d bench ]; then \
		$(BIN)/python -m bench; \
	else \
		echo "No bench/ directory yet: nothing to benchmark."; \
	fi

# Not part of `make test`: slow by nature (one test run per mutant). See tests/mutation/.
mutate: venv
	$(BIN)/python -m tests.mutation $(MUTATE_ARGS)

clean:
	rm -rf $(VENV) node_modules eventapp/static
	rm -f instance/*.db
