# The two Quick start commands (README): `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test lint bench-compliance

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'

run: install  ## install, load the demo program into SQLite, serve on 127.0.0.1:8000
	$(BIN)/residency demo
	$(BIN)/residency serve

test: install-test  ## install test dependencies, check the services, run the whole suite
	scripts/test

lint: install-test
	$(BIN)/ruff check src tests benchmarks migrations
