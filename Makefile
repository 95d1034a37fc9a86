# Lägesbild – the two commands in the README, and a few helpers.
# Everything runs in a virtual environment in .venv, created on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# Test workers (pytest-xdist): every worker has its own databases and ports.
WORKERS ?= 3
# How far ahead of the machine's clock the time-travel run goes (libfaketime's syntax).
TIME_TRAVEL ?= +365d
# Python's own bytecode cache for the app's and the tests' modules: a machine that switches it
# off makes every process of the suite (test workers, ~30 app servers, command-line runs)
# compile the same ~40,000 lines again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test install install-dev lint bench time-travel wheel-check clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The app alone: what `make demo` needs.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The app and the developer tools (pytest, Playwright, ruff …).
$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Start the app with the demo forum on the embedded SQLite database (data/lagesbild.db).
demo: install
	$(BIN)/lagesbild demo --if-empty
	$(BIN)/streamlit run app.py

## Lint and run every test (unit on SQLite and PostgreSQL, AppTest, browser end to end),
## in parallel; pytest prints the duration at the end.
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(WORKERS) --dist worksteal

## The AppTest suite and a browser test again with the machine's clock a year ahead
## (needs libfaketime: apt-get install faketime). The product's clock is pinned by the tests,
## so nothing may depend on the machine's date.
time-travel: install-dev
	faketime -f "$(TIME_TRAVEL)" $(BIN)/python -m pytest -n $(WORKERS) --dist worksteal -p no:cacheprovider \
		tests/app tests/unit/test_time_travel.py \
		"tests/e2e/test_shell.py::test_login_overview_reload_and_logout"

## Build the wheel, install it in a fresh virtual environment outside the source tree, build
## the demo forum there and check that the installed app starts and answers.
wheel-check: install-dev
	bash .ci/wheel-check

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Speed and memory figures at scale (see benchmarks/README.md).
bench: install-dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts dist build
