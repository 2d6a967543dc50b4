# Spotter — `make run` serves the app with demo data; `make test` runs the suite.
# Only Python 3.11+, Node/npm and git are assumed; everything else is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
PORT   ?= 8000
HOST   ?= 127.0.0.1
STAMP  := $(VENV)/.installed
ASSETS := src/spotter/static/vendor/.built
export SPOTTER_DATA_DIR ?= $(CURDIR)/var

.PHONY: install run test test-pg lint bench clean assets lock

install: $(STAMP) $(ASSETS)

# uv is bootstrapped through pip inside the project's own virtualenv, then it syncs
# the hash-pinned lock (which pins uv itself, so the sync keeps it).
$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes requirements-dev.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

$(ASSETS): package.json package-lock.json scripts/build-assets.mjs
	npm ci --no-audit --no-fund --loglevel=error
	node scripts/build-assets.mjs

assets: $(ASSETS)

run: install
	$(BIN)/spotter db upgrade
	$(BIN)/spotter demo --if-empty
	$(BIN)/spotter serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m tests.run

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/spotter

# Re-pin after changing pyproject.toml's dependencies (hashes, no index URLs in the files).
lock:
	$(UV) pip compile pyproject.toml --generate-hashes --no-header --python-version 3.11 -q -o requirements.lock
	$(UV) pip compile pyproject.toml --extra dev --generate-hashes --no-header --python-version 3.11 -q -o requirements-dev.lock

bench: install
	$(BIN)/python bench/api_load.py

clean:
	rm -rf $(VENV) node_modules src/spotter/static/vendor var .pytest_cache
