# Two commands do all set-up on a fresh machine with Python 3.11:
#   make run   - install, migrate, create demo accounts, serve http://127.0.0.1:5000
#   make test  - install and run the whole suite (DATABASE_URL=... for PostgreSQL)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint install translations instance screenshots clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

translations: install
	$(BIN)/pybabel compile -d translations

instance: install
	$(BIN)/python -m portal.bootstrap

run: translations instance
	$(BIN)/flask --app wsgi demo
	$(BIN)/flask --app wsgi run --host 127.0.0.1 --port 5000

# The suite runs in parallel processes (pytest-xdist), one per core unless PYTEST_WORKERS says
# otherwise (PYTEST_WORKERS=0 runs it in this process). Tests of one module stay on one worker,
# so a module's fixtures (a whole nginx deployment, say) are set up once.
PYTEST_WORKERS ?= auto
test: translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# README pictures: a throwaway demo deployment walked in chromium, saved under docs/screenshots/.
screenshots: translations
	$(BIN)/python -m tools.screenshots --out docs/screenshots

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache .ruff_cache
