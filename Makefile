# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --disable-pip-version-check -q -c constraints.txt

.PHONY: run test lint bench eval clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(PIP) -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed
	$(PIP) -e '.[test]'
	touch $@

# Browser tests drive Debian's Chromium (never `playwright install`) and inject axe-core from npm.
AXE_VERSION := 4.14.1
$(VENV)/.browser: $(VENV)/.test-installed
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
	npm install --silent --no-audit --no-fund --prefix .cache/node axe-core@$(AXE_VERSION)
	touch $@

run: $(VENV)/.installed
	$(BIN)/kidney-nav serve

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests
	$(BIN)/mypy

test: lint $(VENV)/.browser
	$(BIN)/pytest

eval: $(VENV)/.installed
	$(BIN)/kidney-nav eval

# Speed figures come from here, never from timed tests. One core: taskset pins the process to CPU 0.
bench: $(VENV)/.test-installed
	taskset -c 0 $(BIN)/kidney-nav bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
