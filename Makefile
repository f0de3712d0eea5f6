# The two set-up-and-go commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# The package is installed editable, so a change to the code needs no reinstall; only a
# change to pyproject.toml (dependencies, entry points) does. A stamp file in the venv,
# newer than pyproject.toml, records that the install is current.
INSTALLED      := $(VENV)/.installed
INSTALLED_TEST := $(VENV)/.installed-test

.PHONY: demo test lint bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(INSTALLED_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/gdlab demo

test: $(INSTALLED_TEST)
	$(BIN)/python -m pytest
	$(MAKE) lint

lint: $(INSTALLED_TEST)
	$(BIN)/ruff check src tests benchmarks tools docs/_ext
	$(BIN)/ruff format --check src tests benchmarks tools docs/_ext
	$(BIN)/mypy

bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench_imports.py
	$(BIN)/python benchmarks/bench_scaling.py
	$(BIN)/python benchmarks/bench_threads.py
	$(BIN)/python benchmarks/bench_descent.py
	$(BIN)/python benchmarks/bench_page.py

# The documentation site in English and Chinese (Sphinx, warnings are errors):
# docs/_build/html/index.html opens it in the reader's language.
docs: $(INSTALLED_TEST)
	$(BIN)/python tools/build_docs.py

clean:
	rm -rf $(VENV) build dist gdlab-report .pytest_cache .mypy_cache .ruff_cache
