# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint format schema bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Set everything up and start the hub on its embedded default (SQLite, memory://, outbox).
run: install
	$(BIN)/hub migrate
	$(BIN)/hub demo --if-empty
	$(BIN)/hub serve --host $(HOST) --port $(PORT)

## Run every test (PostgreSQL/Redis/Chromium tests skip without those services,
## unless HUB_REQUIRE_SERVICES=1).
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Rewrite schema.graphql from the code.
schema: install
	$(BIN)/hub export-schema > schema.graphql

## Benchmarks (not tests): each prints p50/p99 and a baseline measured in the same run.
bench: install
	$(BIN)/python -m bench.board_query
	$(BIN)/python -m bench.board_fanout
	$(BIN)/python -m bench.idle_websocket_memory
	$(BIN)/python -m bench.alert_scan --shape mixed
	$(BIN)/python -m bench.worst_query
	$(BIN)/python -m bench.audit_verify

clean:
	rm -rf $(VENV) var/*.sqlite3*
