# The two set-up-and-go commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

demo: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/gdlab demo

test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m pytest
	$(MAKE) lint

lint: $(BIN)/python
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy

bench: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python benchmarks/bench_scaling.py
	$(BIN)/python benchmarks/bench_descent.py

clean:
	rm -rf $(VENV) build dist gdlab-report .pytest_cache .mypy_cache .ruff_cache
