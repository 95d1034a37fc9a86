# Lägesbild – the two commands in the README, and a few helpers.
# Everything runs in a virtual environment in .venv, created on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test install lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Start the app with the demo forum on the embedded SQLite database (data/lagesbild.db).
demo: install
	$(BIN)/lagesbild demo --if-empty
	$(BIN)/streamlit run app.py

## Lint and run every test (unit on SQLite and PostgreSQL, AppTest, browser end to end).
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Speed and memory figures at scale (see benchmarks/README.md).
bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
