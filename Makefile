# Two commands do everything: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AFTERWORD := $(BIN)/afterword
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
export DJANGO_SETTINGS_MODULE ?= afterword.config.settings.base

.PHONY: run test lint format bench install install-dev browser clean

$(BIN)/python:
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

## make test: install dev dependencies and a browser, then lint and run every test
test: $(DEV_STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=afterword.config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

browser:
	@bash scripts/ensure-browser.sh

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make bench: serve the demo site with the production server and measure it
bench: $(DEV_STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
