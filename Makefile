# Two commands do everything: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AFTERWORD := $(BIN)/afterword
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
export DJANGO_SETTINGS_MODULE ?= afterword.config.settings.base

.PHONY: run test lint format bench install install-dev browser nginx clean

$(BIN)/python:
	@bash scripts/check-python.sh "$(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)
install-dev: $(DEV_STAMP)

## make run: set up everything and serve the site on http://127.0.0.1:8000
run: $(STAMP)
	$(AFTERWORD) setup_site
	$(AFTERWORD) serve

NODE_STAMP := tests/node/node_modules/.installed

# Test-only helpers from npm: the Nu HTML checker, axe-core, an OIDC provider.
$(NODE_STAMP): tests/node/package.json tests/node/package-lock.json
	@if command -v npm >/dev/null; then \
		cd tests/node && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the HTML, accessibility and OIDC tests will skip."; fi

# The suite runs on TEST_WORKERS processes (pytest-xdist; 0 for one process),
# then the tests marked "serial" (timing-sensitive: nginx, floods) alone.
# Three on two cores: many tests wait on a browser, a server or a subprocess,
# and a third worker fills those waits (12 min 13 s against 13 min 38 s).
TEST_WORKERS ?= 3
# A marker expression narrowing both runs, e.g. TEST_SELECT="not browser"
# (CI's second pass, on PostgreSQL, leaves out the Chromium tests).
TEST_SELECT ?=
only = $(if $(strip $(TEST_SELECT)), and ($(TEST_SELECT)))

## make test: install dev dependencies and a browser, then lint and run every test
test: $(DEV_STAMP) browser nginx $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=afterword.config.settings.test \
		$(BIN)/pytest -n $(TEST_WORKERS) -m "not serial$(only)" $(PYTEST_ARGS)
	DJANGO_SETTINGS_MODULE=afterword.config.settings.test \
		$(BIN)/pytest -m "serial$(only)" $(PYTEST_ARGS); status=$$?; [ $$status -eq 0 ] || [ $$status -eq 5 ]

browser:
	@bash scripts/ensure-browser.sh

# nginx for the page-file deployment test (installed without being started).
nginx:
	@bash scripts/install-nginx.sh

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make bench: serve the demo site with the production server and measure it
bench: $(DEV_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
